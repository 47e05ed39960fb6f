package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.QueryRules;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.api.support.ScriptedTextGenerator;
import dev.groundwork.model.llm.Generation;
import dev.groundwork.model.sample.SamplingParams;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The cancellation paths of a streamed answer: the client going away must stop the model. */
class AnswerStreamerTest {

    private static final String SCRIPT = "one two three four five six seven eight nine ten [1].";

    private final InMemoryIndex index = new InMemoryIndex();
    private final ScriptedTextGenerator generator = new ScriptedTextGenerator(1000, SCRIPT);
    private AskService service;
    private AnswerStreamer streamer;

    @BeforeEach
    void wire() {
        RagProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("rag.data-dir", "unused")))
                .bind("rag", RagProperties.class).get();
        index.add("default", "a.md", "A", "Acme makes anvils.");
        Answerer answerer = new LlmAnswerer(generator, new AnswerPrompt(null, List.of()), SamplingParams.greedy(50));
        service = new AskService(new KeywordRetriever(index), answerer, new QueryRules(properties, index), properties);
        streamer = new AnswerStreamer(service, Runnable::run, properties);
    }

    /** An emitter whose client is gone after {@code okSends} events: the next write fails as a broken pipe. */
    private static final class LeavingClient extends SseEmitter {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final int okSends;
        final Runnable onLeave;

        LeavingClient(int okSends, Runnable onLeave) {
            this.okSends = okSends;
            this.onLeave = onLeave;
        }

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            StringBuilder event = new StringBuilder();
            builder.build().forEach(part -> event.append(part.getData()));
            if (sent.size() == okSends) {
                onLeave.run();
                if (onLeave == NOTHING) {
                    throw new IOException("Broken pipe");
                }
            }
            sent.add(event.toString());
        }
    }

    private static final Runnable NOTHING = () -> { };

    @Test
    void aFailedWriteStopsGenerationAndNothingMoreIsSent() {
        LeavingClient client = new LeavingClient(3, NOTHING);

        streamer.run(service.validate(new AskRequest("What does Acme make?", null, null)), client,
                new AtomicBoolean(true));

        Generation generation = generator.generations().get(0);
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        // Three tokens went out; the fourth write failed and the model stopped there, before the end of its script.
        assertThat(generation.tokenIds()).hasSize(4);
        assertThat(client.sent).hasSize(3).allMatch(e -> e.contains("event:token"));
    }

    @Test
    void theContainerReportingTheClientGoneStopsGenerationAtTheNextToken() {
        AtomicBoolean open = new AtomicBoolean(true);
        // The container's error/timeout callback clears the flag while the second token is being sent.
        LeavingClient client = new LeavingClient(1, () -> open.set(false));

        streamer.run(service.validate(new AskRequest("What does Acme make?", null, null)), client, open);

        Generation generation = generator.generations().get(0);
        assertThat(generation.finishReason()).isEqualTo(Generation.FinishReason.CANCELLED);
        assertThat(generation.tokenIds()).hasSize(3);
        assertThat(client.sent).hasSize(2).allMatch(e -> e.contains("event:token"));
    }

    @Test
    void aClientThatStaysReceivesEveryEvent() {
        LeavingClient client = new LeavingClient(Integer.MAX_VALUE, NOTHING);

        streamer.run(service.validate(new AskRequest("What does Acme make?", null, null)), client,
                new AtomicBoolean(true));

        assertThat(generator.generations().get(0).finishReason()).isEqualTo(Generation.FinishReason.EOS);
        assertThat(client.sent).hasSize(SCRIPT.split(" ").length + 3);
        assertThat(client.sent.get(client.sent.size() - 1)).contains("event:done");
    }
}
