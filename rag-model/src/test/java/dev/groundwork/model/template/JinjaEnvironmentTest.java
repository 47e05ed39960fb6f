package dev.groundwork.model.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Jinja2 behaviours that Jinjava lacks and {@link JinjaEnvironment} adds, checked through {@link ChatTemplate}. */
class JinjaEnvironmentTest {

    private static String render(String source) {
        return ChatTemplate.of(source, "test template", "<s>", "</s>")
                .render(List.of(ChatMessage.user("one"), ChatMessage.assistant("two"), ChatMessage.user("three")), false);
    }

    @Test
    void pythonStringMethodsBehaveAsInPython() {
        assertThat(render("{{ '  a b  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '\\n\\nhi\\n'.lstrip('\\n') }}|"
                + "{{ 'hi\\n\\n'.rstrip('\\n') }}")).isEqualTo("a b|hi|hi\n|hi");
        assertThat(render("{{ 'a,b,,c'.split(',')|length }}|{{ 'a,b,,c'.split(',')[2] }}|{{ 'a,b,c'.split(',', 1)[1] }}|"
                + "{{ ' a  b '.split()|join('+') }}|{{ 'x</think>y'.split('</think>')[-1] }}"))
                .isEqualTo("4||b,c|a+b|y");
        assertThat(render("{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith('bc') }}{{ 'abc'.startswith('b') }}"
                + "{{ 'abc'.upper() }}{{ 'a-b'.replace('-', '+') }}")).isEqualTo("truetruefalseABCa+b");
    }

    @Test
    void reverseSliceAndNamespaceWithExpressionArguments() {
        assertThat(render("{% for m in messages[::-1] %}{{ m.content }}{{ loop.index0 }} {% endfor %}"))
                .isEqualTo("three0 two1 one2 ");
        assertThat(render("{%- set ns = namespace(found=false, last=messages|length - 1, s='a,b') %}"
                + "{%- for m in messages %}{%- if m.role == 'assistant' %}{%- set ns.found = true %}{%- endif %}"
                + "{%- endfor %}{{ ns.found }} {{ ns.last }} {{ ns.s }}")).isEqualTo("true 2 a,b");
    }

    @Test
    void filtersBindTighterThanPlusAsInJinja2() {
        assertThat(render("{{ '[' + '  x  ' | trim + ']' }}")).isEqualTo("[x]");
    }

    @Test
    void notBindsLooserThanTestsAndComparisonsAsInJinja2() {
        // Expected string rendered by Jinja2 3.1.6 in Hugging Face's chat-template environment (transformers 5.18.0).
        assertThat(render("{{ 'T' if not messages[0].role == 'assistant' else 'F' }}"
                + "{{ 'T' if not no_such is defined else 'F' }}{{ 'T' if not messages is defined else 'F' }}"
                + "{{ 'T' if not messages[0] is none and true else 'F' }}{{ 'T' if 'x' not in 'abc' else 'F' }}"
                + "{{ 'T' if messages is not defined else 'F' }}{{ 'T' if not not messages else 'F' }}"
                + "{# not a is b #} do not a is b {% set n = namespace(v=not messages|length == 3) %}"
                + "{{ 'T' if n.v else 'F' }}")).isEqualTo("TTFTTFT do not a is b F");
    }

    @Test
    void tojsonWritesPythonJsonDumpsAsHuggingFaceDoes() {
        // Expected strings from Python 3.11 json.dumps(x, ensure_ascii=False[, indent=2]), HF's tojson.
        assertThat(render("{{ [1e-5, 0.1, 3.0, 1.5e20, -2.5, 7, true, none]|tojson }}"))
                .isEqualTo("[1e-05, 0.1, 3.0, 1.5e+20, -2.5, 7, true, null]");
        assertThat(render("{{ {'a': [], 'b': {'d': {}, 'c': '\\n\\\"é'} }|tojson(indent=2) }}"))
                .isEqualTo("{\n  \"a\": [],\n  \"b\": {\n    \"d\": {},\n    \"c\": \"\\n\\\"é\"\n  }\n}");
    }

    @Test
    void unknownMethodsAndFunctionsFailNamingTheTemplate() {
        assertThatThrownBy(() -> render("{{ 'abc'.title() }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("test template").hasMessageContaining("title");
        assertThatThrownBy(() -> render("{{ no_such_function(1) }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("no_such_function");
    }

    @Test
    void trailingNewlineIsDroppedAndBlocksAreTrimmed() {
        assertThat(render("{% if true %}\n  x\n{% endif %}\n")).isEqualTo("  x\n");
        // lstrip_blocks: only whitespace that starts the line goes; trim_blocks: the newline after a tag goes.
        assertThat(render("a\n    {% if true %}\n  b {% endif %}\nc\n\t{# note #}\nd")).isEqualTo("a\n  b c\nd");
    }
}
