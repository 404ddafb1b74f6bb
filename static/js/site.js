/*
 * Progressive enhancements of the public pages: text size, read-aloud, print and the portal's
 * site-directory filter. Without JavaScript every page is complete and these controls stay
 * hidden; elder mode needs none of this (the server renders it from its cookie).
 * Loaded with `defer`: the document is parsed when this runs.
 */
(function () {
    "use strict";

    var root = document.documentElement;

    /* Text size (A− / A / A+): a class on <html>, remembered in localStorage. */
    var TEXT_SIZES = ["text-size-smaller", "", "text-size-larger", "text-size-largest"];
    var DEFAULT_SIZE = 1;
    var SIZE_KEY = "jiyue.textSize";

    function storedSize() {
        try {
            var index = TEXT_SIZES.indexOf(window.localStorage.getItem(SIZE_KEY) || "");
            return index === -1 ? DEFAULT_SIZE : index;
        } catch (error) {
            return DEFAULT_SIZE; // storage blocked: sizes still change, for this page only
        }
    }

    function applySize(index) {
        TEXT_SIZES.forEach(function (name) {
            if (name) root.classList.remove(name);
        });
        if (TEXT_SIZES[index]) root.classList.add(TEXT_SIZES[index]);
        try {
            window.localStorage.setItem(SIZE_KEY, TEXT_SIZES[index]);
        } catch (error) {
            /* not remembered; nothing else to do */
        }
    }

    var size = storedSize();
    if (size !== DEFAULT_SIZE) applySize(size);

    var STEPS = { smaller: -1, larger: 1 };
    document.querySelectorAll("[data-text-size]").forEach(function (button) {
        button.addEventListener("click", function () {
            var step = STEPS[button.getAttribute("data-text-size")];
            size = step ? Math.min(Math.max(size + step, 0), TEXT_SIZES.length - 1) : DEFAULT_SIZE;
            applySize(size);
        });
    });

    /* Read-aloud: the browser's speech synthesis reads <main>, sentence by sentence. */
    var readButton = document.querySelector("[data-read-aloud]");
    if (readButton && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
        readButton.hidden = false;
        readButton.addEventListener("click", function () {
            var speech = window.speechSynthesis;
            if (readButton.getAttribute("aria-pressed") === "true") {
                speech.cancel();
                readButton.setAttribute("aria-pressed", "false");
                return;
            }
            var lang = root.lang.toLowerCase().indexOf("en") === 0 ? "en" : "zh-CN";
            // Short utterances: some engines stop reading a long one after a few seconds.
            var sentences = document.getElementById("main").innerText.match(/[^。！？!?\n]+[。！？!?]?/g) || [];
            speech.cancel();
            sentences.forEach(function (text, position) {
                var utterance = new window.SpeechSynthesisUtterance(text.trim());
                utterance.lang = lang;
                if (position === sentences.length - 1) {
                    utterance.onend = utterance.onerror = function () {
                        readButton.setAttribute("aria-pressed", "false");
                    };
                }
                speech.speak(utterance);
            });
            readButton.setAttribute("aria-pressed", sentences.length ? "true" : "false");
        });
    }

    /* Aids and print buttons need the code above; show them now that it runs. */
    document.querySelectorAll(".reading-aids, .page-tools").forEach(function (element) {
        element.removeAttribute("data-pending");
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });

    /* Site directory (站群导航): filter as you type, announce how many sites match. */
    var filter = document.getElementById("directory-filter");
    if (filter) {
        var status = document.getElementById("directory-count");
        var groups = document.querySelectorAll("[data-directory-group]");
        filter.closest(".directory__filter").hidden = false;
        filter.addEventListener("input", function () {
            var query = filter.value.trim().toLowerCase();
            var found = 0;
            groups.forEach(function (group) {
                var shown = 0;
                group.querySelectorAll("li[data-keywords]").forEach(function (item) {
                    var match = item.getAttribute("data-keywords").indexOf(query) !== -1;
                    item.hidden = !match;
                    if (match) shown += 1;
                });
                group.hidden = shown === 0;
                found += shown;
            });
            if (!query) {
                status.textContent = "";
            } else if (found) {
                status.textContent = status.getAttribute("data-found").replace("{count}", found);
            } else {
                status.textContent = status.getAttribute("data-none").replace("{query}", filter.value.trim());
            }
        });
    }
})();
