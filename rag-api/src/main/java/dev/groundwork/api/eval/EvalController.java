package dev.groundwork.api.eval;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.api.QueryRules;
import dev.groundwork.api.ask.Answerer;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.ingest.retrieve.RetrievalModes;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import dev.groundwork.model.llm.TextGenerator;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/eval/{collection}}: evaluates a small dataset (a JSON array of questions, or JSONL, in the
 * dataset format of {@link EvalDataset}) against one collection and returns the aggregated metrics: retrieval per
 * mode and, unless {@code answers=false}, the answer metrics. The judge runs only with {@code judge=true} and a
 * configured language model. Requests run synchronously, so the number of questions is capped at
 * {@link #MAX_QUESTIONS}. Errors are RFC 9457 problems naming the field: {@code body}, {@code modes},
 * {@code judge}; an unknown collection is a 404.
 *
 * <p>Without a {@link RetrievalModes} bean (only in reduced test contexts) every mode is the configured retriever.
 * Thread-safe.
 */
@RestController
@RequestMapping("/api/eval")
public class EvalController {

    /** Keeps one synchronous request to minutes even with a language model answering. */
    public static final int MAX_QUESTIONS = 200;

    private final ObjectProvider<RetrievalModes> retrievalModes;
    private final Retriever retriever;
    private final Answerer answerer;
    private final QueryRules rules;
    private final RagProperties properties;
    private final ObjectProvider<TextGenerator> textGenerator;
    private final ObjectProvider<Embedder> embedder;

    public EvalController(ObjectProvider<RetrievalModes> retrievalModes, Retriever retriever, Answerer answerer,
            QueryRules rules, RagProperties properties, ObjectProvider<TextGenerator> textGenerator,
            ObjectProvider<Embedder> embedder) {
        this.retrievalModes = retrievalModes;
        this.retriever = retriever;
        this.answerer = answerer;
        this.rules = rules;
        this.properties = properties;
        this.textGenerator = textGenerator;
        this.embedder = embedder;
    }

    @PostMapping("/{collection}")
    public Map<String, Object> evaluate(@PathVariable String collection, @RequestBody String body,
            @RequestParam(defaultValue = "bm25,vector,hybrid") List<String> modes,
            @RequestParam(defaultValue = "true") boolean answers, @RequestParam(defaultValue = "false") boolean judge) {
        String validCollection = rules.collection(collection);
        List<EvalQuestion> questions;
        try {
            questions = EvalDataset.parse(body, "body");
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("body", e.getMessage());
        }
        if (questions.isEmpty()) {
            throw new InvalidFieldException("body", "body holds no question");
        }
        if (questions.size() > MAX_QUESTIONS) {
            throw new InvalidFieldException("body", "body holds " + questions.size() + " questions; at most "
                    + MAX_QUESTIONS + " are evaluated per request (use the eval command for larger datasets)");
        }
        for (String mode : modes) {
            if (!RetrievalModes.NAMES.contains(mode)) {
                throw new InvalidFieldException("modes", "unknown retrieval mode '" + mode + "'; known: "
                        + RetrievalModes.NAMES);
            }
        }
        TextGenerator model = textGenerator.getIfAvailable();
        if (judge && model == null) {
            throw new InvalidFieldException("judge", "judge=true needs a language model (rag.model.path)");
        }
        RetrievalModes stores = retrievalModes.getIfAvailable(() -> new RetrievalModes(retriever, retriever, retriever));
        Embedder embeddingModel = embedder.getIfAvailable();
        int topK = properties.defaultTopK();
        EvalContext context = new EvalContext(stores, QuestionAnswerer.of(retriever, answerer, topK), answerer.name(),
                topK, embeddingModel == null ? null : embeddingModel.modelId(), model);
        return EvalRunner.run(questions, context,
                new EvalRunner.Options("request", validCollection, modes, 3, answers, judge)).aggregated();
    }
}
