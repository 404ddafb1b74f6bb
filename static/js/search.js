/*
 * Autocomplete for every search box whose input has `data-autocomplete` (the API's address):
 * as the visitor types, the first results of /api/search appear in a listbox under the box,
 * following the WAI-ARIA 1.2 combobox pattern (list autocomplete, focus stays in the input,
 * the active option is aria-activedescendant). ↓/↑ move through the options, Enter opens
 * the active one (or submits the form when none is active), Escape closes the list.
 * Without JavaScript the box is a plain GET form to /search/. Loaded with `defer`.
 */
(function () {
    "use strict";

    var DELAY_MS = 250; // wait for a pause in typing before asking
    var MIN_LENGTH = 2; // a single character matches too much to suggest anything useful
    var SUGGESTIONS = 5;
    var TEXT = {
        zh: { list: "搜索建议", found: "有 {count} 条建议，可用上下方向键选择，回车打开", none: "没有建议" },
        en: { list: "Suggestions", found: "{count} suggestions: use the arrow keys, Enter opens one", none: "No suggestions" },
    };
    var text = TEXT[document.documentElement.lang.toLowerCase().indexOf("en") === 0 ? "en" : "zh"];

    function safeUrl(url) {
        return /^(https?:\/\/|\/)/.test(url) ? url : null;
    }

    function enhance(input, number) {
        var endpoint = input.getAttribute("data-autocomplete");
        var listId = "autocomplete-" + number;
        var list = document.createElement("ul");
        var status = document.createElement("p");
        var options = [];
        var active = -1;
        var timer = null;
        var latest = 0;
        var composing = false;

        list.id = listId;
        list.className = "autocomplete";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", text.list);
        list.hidden = true;
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        input.parentNode.appendChild(list);
        input.parentNode.appendChild(status);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);

        function setActive(index) {
            options.forEach(function (option, position) {
                option.setAttribute("aria-selected", position === index ? "true" : "false");
            });
            active = index;
            if (index === -1) {
                input.removeAttribute("aria-activedescendant");
            } else {
                input.setAttribute("aria-activedescendant", options[index].id);
                options[index].scrollIntoView({ block: "nearest" });
            }
        }

        function open(show) {
            list.hidden = !show;
            input.setAttribute("aria-expanded", show ? "true" : "false");
            if (!show) setActive(-1);
        }

        function go(option) {
            var url = safeUrl(option.getAttribute("data-url"));
            if (url) window.location.assign(url);
        }

        function render(results) {
            list.textContent = "";
            options = results.map(function (result, position) {
                var option = document.createElement("li");
                var title = document.createElement("span");
                var site = document.createElement("span");
                option.id = listId + "-" + position;
                option.className = "autocomplete__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-url", result.url);
                title.textContent = result.title;
                site.className = "autocomplete__site";
                site.textContent = result.site.name;
                option.appendChild(title);
                option.appendChild(site);
                list.appendChild(option);
                return option;
            });
            active = -1;
            open(options.length > 0 && document.activeElement === input);
            status.textContent = options.length ? text.found.replace("{count}", options.length) : text.none;
        }

        function suggest() {
            var query = input.value.trim();
            var ticket = ++latest;
            if (query.length < MIN_LENGTH) {
                render([]);
                status.textContent = "";
                return;
            }
            // autocomplete=1: suggestions are not searches, so the analytics do not count them.
            var address = endpoint + "?q=" + encodeURIComponent(query) + "&page_size=" + SUGGESTIONS + "&autocomplete=1";
            window
                .fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (answer) {
                    if (ticket === latest) render(answer.results || []);
                })
                .catch(function () {
                    if (ticket === latest) render([]); // offline or refused: just no suggestions
                });
        }

        input.addEventListener("input", function () {
            if (composing) return; // the IME is still building the characters
            window.clearTimeout(timer);
            timer = window.setTimeout(suggest, DELAY_MS);
        });
        input.addEventListener("compositionstart", function () {
            composing = true;
        });
        input.addEventListener("compositionend", function () {
            composing = false;
            window.clearTimeout(timer);
            timer = window.setTimeout(suggest, DELAY_MS);
        });
        input.addEventListener("keydown", function (event) {
            if (event.isComposing) return;
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                if (!options.length) return;
                event.preventDefault();
                var last = options.length - 1;
                open(true);
                if (event.key === "ArrowDown") {
                    setActive(active === last ? 0 : active + 1);
                } else {
                    setActive(active <= 0 ? last : active - 1);
                }
            } else if (event.key === "Enter" && !list.hidden && active !== -1) {
                event.preventDefault();
                go(options[active]);
            } else if (event.key === "Escape" && !list.hidden) {
                event.preventDefault();
                open(false);
            }
        });
        input.addEventListener("blur", function () {
            open(false);
        });
        list.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the input
        });
        list.addEventListener("click", function (event) {
            var option = event.target.closest("[role=option]");
            if (option) go(option);
        });
    }

    document.querySelectorAll("input[data-autocomplete]").forEach(enhance);
})();
