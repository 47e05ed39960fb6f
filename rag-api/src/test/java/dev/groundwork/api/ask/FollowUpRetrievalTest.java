package dev.groundwork.api.ask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.api.support.KeywordRetriever;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.model.embed.InputTooLongException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FollowUpRetrievalTest {

    static final String HOLIDAY_QUESTION = "How many days of paid holiday do employees get?";
    static final String PART_TIME_HOLIDAY = "Part-time employees get paid holiday pro rata to their hours.";

    private final InMemoryIndex index = new InMemoryIndex();
    private final KeywordRetriever keywords = new KeywordRetriever(index);
    private final FollowUpRetrieval retrieval = new FollowUpRetrieval(keywords, 60, 50);

    /** The handbook of these tests: a follow-up about part-time staff alone matches the parking rules best. */
    static void handbook(InMemoryIndex index) {
        index.add("handbook", "holiday.md", "Holiday",
                "Full-time employees receive 27 days of paid holiday per year.", PART_TIME_HOLIDAY);
        index.add("handbook", "parking.md", "Parking", "Part-time staff may park in lot B at any time.");
    }

    @BeforeEach
    void documents() {
        handbook(index);
    }

    private List<String> texts(List<ScoredChunk> passages) {
        return passages.stream().map(p -> p.chunk().text()).toList();
    }

    @Test
    void anEllipticalFollowUpFindsTheEarlierTopic() {
        RetrievalQuery followUp = new RetrievalQuery("What about part-time staff?", "handbook", 2);

        // On its own, the follow-up's words point to the parking rules...
        assertThat(texts(retrieval.retrieve(followUp, List.of())).get(0)).startsWith("Part-time staff may park");
        // ...after a question about holiday, the part-time holiday rule comes first.
        List<ScoredChunk> passages = retrieval.retrieve(followUp,
                List.of(new ConversationTurn(HOLIDAY_QUESTION, "27 days [1].")));
        assertThat(texts(passages).get(0)).isEqualTo(PART_TIME_HOLIDAY);
        assertThat(passages).hasSize(2);
        assertThat(passages.get(0).score()).isGreaterThan(passages.get(1).score());
        assertThat(passages.get(0).score()).isEqualTo(1.0 / 62 + 1.0 / 61); // 2nd alone, 1st in context
    }

    @Test
    void aTopicSwitchKeepsItsOwnDocuments() {
        List<ScoredChunk> passages = retrieval.retrieve(new RetrievalQuery("Where can staff park?", null, 1),
                List.of(new ConversationTurn(HOLIDAY_QUESTION, "27 days [1].")));

        assertThat(passages).extracting(p -> p.chunk().source()).containsExactly("parking.md");
    }

    @Test
    void withoutHistoryItIsOneRetrievalOfTheQuestion() {
        List<RetrievalQuery> asked = new ArrayList<>();
        Retriever recording = query -> {
            asked.add(query);
            return keywords.retrieve(query);
        };
        RetrievalQuery query = new RetrievalQuery("Where can staff park?", "handbook", 3);

        List<ScoredChunk> passages = new FollowUpRetrieval(recording, 60, 50).retrieve(query, List.of());

        assertThat(asked).containsExactly(query);
        assertThat(passages).isEqualTo(keywords.retrieve(query));
    }

    @Test
    void theContextualQueryPutsTheQuestionFirstThenTheEarlierOnesNewestFirst() {
        List<ConversationTurn> history = List.of(new ConversationTurn("first?", "a"),
                new ConversationTurn("second?", "b"), new ConversationTurn("third?", "c"));

        assertThat(FollowUpRetrieval.contextualText("now?", history, 3)).isEqualTo("now?\nthird?\nsecond?\nfirst?");
        assertThat(FollowUpRetrieval.contextualText("now?", history, 1)).isEqualTo("now?\nthird?");
    }

    @Test
    void aContextualQueryTooLongForTheEmbedderLeavesOutTheOldestQuestions() {
        List<String> asked = new ArrayList<>();
        Retriever windowOfThreeLines = query -> {
            asked.add(query.text());
            if (query.text().lines().count() > 2) {
                throw new InputTooLongException(0, 300, 256);
            }
            return keywords.retrieve(query);
        };
        List<ConversationTurn> history = List.of(new ConversationTurn("Where can staff park?", "Lot B [1]."),
                new ConversationTurn(HOLIDAY_QUESTION, "27 days [1]."));

        List<ScoredChunk> passages = new FollowUpRetrieval(windowOfThreeLines, 60, 50)
                .retrieve(new RetrievalQuery("What about part-time staff?", null, 1), history);

        assertThat(asked).containsExactly("What about part-time staff?",
                "What about part-time staff?\n" + HOLIDAY_QUESTION + "\nWhere can staff park?",
                "What about part-time staff?\n" + HOLIDAY_QUESTION);
        assertThat(texts(passages)).containsExactly(PART_TIME_HOLIDAY);
    }
}
