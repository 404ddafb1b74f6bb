// Runs an Elasticsearch analyzer definition through real Lucene and prints the tokens.
//
// Input (stdin, UTF-8, one item a line, values percent-encoded as by Python's urllib.parse.quote):
//   char_filter <type> | tokenizer <type> | filter <type>   a component of the chain, in order
//   param <name> <value>                                     a setting of the component above
//                                                            (a list: the name repeated)
//   text <value>                                             a text to analyse
// Output: one line for each text, its tokens separated by spaces, each token as
//   <term percent-encoded>,<start offset>,<end offset>,<type>,<position>
//
// Each Elasticsearch type maps to the Lucene class Elasticsearch itself uses for it, with the
// settings read as Elasticsearch reads them (analysis-common's factories). An unknown type, a
// mapping rule Elasticsearch would refuse, and — stricter than Elasticsearch, which ignores
// them — an unknown setting are errors: the message goes to stderr and the exit status is 2.
// Lucene here is Debian's 8.7; Elasticsearch 8 bundles Lucene 9: the same classes, though its
// StandardTokenizer may know a newer Unicode version.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

public class Analyse {

    /** One component as declared: its type and its settings (each a list of values). */
    static final class Component {
        final String kind, type;
        final Map<String, List<String>> params = new LinkedHashMap<>();

        Component(String kind, String type) {
            this.kind = kind;
            this.type = type;
        }

        void allow(String... names) {
            for (String name : params.keySet()) {
                if (!Set.of(names).contains(name)) {
                    throw new IllegalArgumentException(kind + " " + type + ": unknown setting " + name);
                }
            }
        }

        String one(String name, String fallback) {
            List<String> values = params.get(name);
            if (values == null) return fallback;
            if (values.size() != 1) throw new IllegalArgumentException(type + ": one " + name + " expected");
            return values.get(0);
        }

        List<String> all(String name) {
            return params.getOrDefault(name, List.of());
        }
    }

    // --- char filters ------------------------------------------------------------------------

    static Function<Reader, Reader> charFilter(Component c) {
        switch (c.type) {
            case "mapping": {
                c.allow("mappings");
                if (c.all("mappings").isEmpty()) throw new IllegalArgumentException("mapping: no mappings");
                NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
                for (String rule : c.all("mappings")) addRule(builder, rule);
                NormalizeCharMap map = builder.build();
                return reader -> new MappingCharFilter(map, reader);
            }
            case "pattern_replace": {
                c.allow("pattern", "replacement");
                String pattern = c.one("pattern", "");
                if (pattern.isEmpty()) throw new IllegalArgumentException("pattern_replace: no pattern");
                Pattern compiled = Pattern.compile(pattern);
                String replacement = c.one("replacement", "");
                return reader -> new PatternReplaceCharFilter(compiled, replacement, reader);
            }
            default:
                throw new IllegalArgumentException("unknown char filter type " + c.type);
        }
    }

    // As Elasticsearch's MappingCharFilterFactory: "source => target", the last "=>" splits,
    // both sides trimmed, then unescaped.
    static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    static void addRule(NormalizeCharMap.Builder builder, String rule) {
        Matcher m = RULE.matcher(rule);
        if (!m.find()) throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
        // Builder.add refuses an empty source and a source added twice, as in Elasticsearch.
        builder.add(unescape(m.group(1).trim()), unescape(m.group(2).trim()));
    }

    /**
     * Elasticsearch's escapes: \\ \n \t \r \b \f \\uXXXX. A backslash before any other character
     * is dropped and the character kept (Elasticsearch does not refuse it); a trailing backslash
     * or a short \\u is refused. Elasticsearch writes into a 256-char buffer, so a longer side fails.
     */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (i >= s.length()) throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                c = s.charAt(i++);
                switch (c) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    case 'b': c = '\b'; break;
                    case 'f': c = '\f'; break;
                    case 'u':
                        if (i + 3 >= s.length()) {
                            throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                        }
                        c = (char) Integer.parseInt(s.substring(i, i + 4), 16);
                        i += 4;
                        break;
                    default: break; // '\\' and anything else: the character itself
                }
            }
            out.append(c);
            if (out.length() > 256) throw new IllegalArgumentException("mapping side over 256 chars: [" + s + "]");
        }
        return out.toString();
    }

    // --- tokenizers and token filters ----------------------------------------------------------

    static Supplier<Tokenizer> tokenizer(Component c) {
        switch (c.type) {
            case "standard": {
                c.allow("max_token_length");
                int max = Integer.parseInt(c.one("max_token_length", "255"));
                return () -> {
                    StandardTokenizer tokenizer = new StandardTokenizer();
                    tokenizer.setMaxTokenLength(max);
                    return tokenizer;
                };
            }
            case "smartcn_tokenizer":
                c.allow();
                return HMMChineseTokenizer::new;
            case "keyword": // the whole text as one token: shows what the char filters made
                c.allow();
                return KeywordTokenizer::new;
            default:
                throw new IllegalArgumentException("unknown tokenizer type " + c.type);
        }
    }

    static Function<TokenStream, TokenStream> filter(Component c) {
        switch (c.type) {
            case "cjk_width":
                c.allow();
                return CJKWidthFilter::new;
            case "lowercase":
                c.allow();
                return LowerCaseFilter::new;
            case "smartcn_stop":
                c.allow();
                return in -> new StopFilter(in, SmartChineseAnalyzer.getDefaultStopSet());
            case "cjk_bigram": {
                c.allow("ignored_scripts", "output_unigrams");
                Map<String, Integer> scripts = new LinkedHashMap<>(Map.of(
                        "han", CJKBigramFilter.HAN, "hiragana", CJKBigramFilter.HIRAGANA,
                        "katakana", CJKBigramFilter.KATAKANA, "hangul", CJKBigramFilter.HANGUL));
                for (String ignored : c.all("ignored_scripts")) {
                    if (scripts.remove(ignored) == null) {
                        throw new IllegalArgumentException("cjk_bigram: unknown script " + ignored);
                    }
                }
                int flags = scripts.values().stream().reduce(0, (a, b) -> a | b);
                String unigrams = c.one("output_unigrams", "false");
                if (!Set.of("true", "false").contains(unigrams)) {
                    throw new IllegalArgumentException("cjk_bigram: output_unigrams " + unigrams);
                }
                boolean outputUnigrams = unigrams.equals("true");
                return in -> new CJKBigramFilter(in, flags, outputUnigrams);
            }
            default:
                throw new IllegalArgumentException("unknown token filter type " + c.type);
        }
    }

    // --- the program ---------------------------------------------------------------------------

    static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (Exception error) {
            System.err.println("error: " + error);
            System.exit(2);
        }
    }

    static void run() throws Exception {
        List<Component> components = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) continue;
            String[] parts = line.split(" ", -1);
            switch (parts[0]) {
                case "char_filter": case "tokenizer": case "filter":
                    components.add(new Component(parts[0], decode(parts[1])));
                    break;
                case "param":
                    if (components.isEmpty()) throw new IllegalArgumentException("param before any component");
                    components.get(components.size() - 1).params
                            .computeIfAbsent(decode(parts[1]), k -> new ArrayList<>()).add(decode(parts[2]));
                    break;
                case "text":
                    texts.add(decode(parts[1]));
                    break;
                default:
                    throw new IllegalArgumentException("unknown input line: " + line);
            }
        }

        List<Function<Reader, Reader>> charFilters = new ArrayList<>();
        List<Function<TokenStream, TokenStream>> filters = new ArrayList<>();
        Supplier<Tokenizer> tokenizer = null;
        for (Component c : components) {
            if (c.kind.equals("char_filter")) {
                charFilters.add(charFilter(c));
            } else if (c.kind.equals("filter")) {
                filters.add(filter(c));
            } else if (tokenizer == null) {
                tokenizer = tokenizer(c);
            } else {
                throw new IllegalArgumentException("more than one tokenizer");
            }
        }
        if (tokenizer == null) throw new IllegalArgumentException("no tokenizer");
        Supplier<Tokenizer> theTokenizer = tokenizer;

        Analyzer analyzer = new Analyzer() {
            @Override
            protected Reader initReader(String field, Reader reader) {
                for (Function<Reader, Reader> charFilter : charFilters) reader = charFilter.apply(reader);
                return reader;
            }

            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = theTokenizer.get();
                TokenStream stream = source;
                for (Function<TokenStream, TokenStream> f : filters) stream = f.apply(stream);
                return new TokenStreamComponents(source, stream);
            }
        };

        StringBuilder out = new StringBuilder();
        for (String text : texts) {
            try (TokenStream stream = analyzer.tokenStream("field", new StringReader(text))) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
                TypeAttribute type = stream.addAttribute(TypeAttribute.class);
                PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
                stream.reset();
                int position = -1;
                List<String> tokens = new ArrayList<>();
                while (stream.incrementToken()) {
                    position += increment.getPositionIncrement();
                    tokens.add(URLEncoder.encode(term.toString(), StandardCharsets.UTF_8) + ","
                            + offset.startOffset() + "," + offset.endOffset() + "," + type.type() + "," + position);
                }
                stream.end();
                out.append(String.join(" ", tokens)).append('\n');
            }
        }
        System.out.print(out);
        System.out.flush();
    }
}
