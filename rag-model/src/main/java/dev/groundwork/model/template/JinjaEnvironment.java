package dev.groundwork.model.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * Jinjava set up to render Hugging Face chat templates as Python's Jinja2 does in {@code apply_chat_template}.
 *
 * <p>Why each setting: Hugging Face renders with {@code trim_blocks=True, lstrip_blocks=True,
 * keep_trailing_newline=False}; Jinjava's legacy defaults differ from Jinja2 in operator precedence
 * ({@code 'a' + x | trim} must trim {@code x} only) and in whitespace control, so all legacy behaviours are
 * switched off ({@link LegacyOverrides#ALL} selects the Jinja2-compatible ones). Newer templates (Qwen3) call
 * Python {@code str} methods and reverse lists with {@code [::-1]}: the methods are resolved by
 * {@link PythonStringMethods}, an EL resolver placed before Jinjava's own, so any template using them works rather
 * than only a known family; the extended slice, which Jinjava's expression grammar cannot parse, is rewritten to the
 * {@code reverse} filter before parsing. {@code not} is given Jinja2's precedence by {@link NotPrecedence}, and
 * {@code tojson} writes Python's {@code json.dumps} format as Hugging Face's does ({@link PythonJsonFilter}).
 */
final class JinjaEnvironment {

    /** {@code x[::-1]}: Jinja2's reversed copy; Jinjava has no extended slices. */
    private static final Pattern REVERSE_SLICE = Pattern.compile("\\[\\s*::\\s*-1\\s*]");

    /**
     * Jinja2's {@code lstrip_blocks} strips spaces and tabs before a block or comment tag only when they start the
     * line; Jinjava's strips them mid-line too ({@code x {% endfor %}} loses its space), so it is done here instead.
     */
    private static final Pattern LINE_START_BEFORE_TAG = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");

    private JinjaEnvironment() {
    }

    static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false) // see LINE_START_BEFORE_TAG
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .withElResolver(resolver)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFilter(new PythonJsonFilter()); // replaces Jinjava's compact tojson
        try {
            jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception",
                    JinjaFunctions.class.getMethod("raiseException", Object.class)));
            jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now",
                    JinjaFunctions.class.getMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return jinjava;
    }

    /**
     * Rewrites what Jinjava cannot parse or does differently; drops one trailing newline as Jinja2 does without
     * keep_trailing_newline. Works on the whole source, so a tag-like text inside a string literal at the start of a
     * line would be treated as a tag too; no known chat template has one.
     */
    static String preprocess(String source) {
        String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        s = LINE_START_BEFORE_TAG.matcher(s).replaceAll("");
        s = REVERSE_SLICE.matcher(s).replaceAll("|reverse");
        return NotPrecedence.apply(parenthesizeNamespaceArguments(s));
    }

    /**
     * {@code namespace(a=x|length - 1)}: Jinjava binds a keyword argument's value before the rest of its
     * expression ({@code (a=x|length) - 1}); wrapping each value in parentheses gives Jinja2's meaning.
     */
    static String parenthesizeNamespaceArguments(String source) {
        StringBuilder out = new StringBuilder(source.length() + 16);
        int from = 0;
        int at;
        while ((at = source.indexOf("namespace(", from)) >= 0) {
            int open = at + "namespace".length();
            int close = matchingParenthesis(source, open);
            if (close < 0) {
                break; // unbalanced: leave it for the parser to report
            }
            out.append(source, from, open + 1);
            List<String> arguments = splitTopLevel(source.substring(open + 1, close));
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                java.util.regex.Matcher keyword = KEYWORD_ARGUMENT.matcher(argument);
                out.append(i > 0 ? "," : "");
                out.append(keyword.matches() ? keyword.group(1) + "=(" + keyword.group(2) + ")" : argument);
            }
            out.append(')');
            from = close + 1;
        }
        return out.append(source.substring(from)).toString();
    }

    private static final Pattern KEYWORD_ARGUMENT = Pattern.compile("(?s)(\\s*\\w+\\s*)=(?!=)(.*)");

    private static int matchingParenthesis(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (StringLiterals.opens(c)) {
                i = StringLiterals.end(s, i, s.length());
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return c == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (StringLiterals.opens(c)) {
                i = StringLiterals.end(arguments, i, arguments.length());
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(arguments.substring(start));
        return parts;
    }

    /** Makes {@code strftime_now is defined} true, as in Hugging Face, where the functions are globals. */
    static void defineFunctionsAsVariables(Map<String, Object> context) {
        context.putIfAbsent("strftime_now", "strftime_now");
        context.putIfAbsent("raise_exception", "raise_exception");
    }
}
