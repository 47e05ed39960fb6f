package dev.groundwork.model.embed;

import java.util.List;

/** Varied test inputs: English and Chinese, short and long, punctuation, numbers, code and emoji. */
final class Texts {

    private Texts() {
    }

    /** Each is under 126 content tokens, where langchain4j's default all-MiniLM model does not truncate. */
    static final List<String> SHORT = List.of(
            "Hello, world!",
            "The cat sat on the mat.",
            "A man is playing a guitar on stage.",
            "Retrieval-augmented generation grounds a language model's answers in your own documents.",
            "What is the capital of France?",
            "Paris is the capital and most populous city of France.",
            "I can't believe it's already 2026... time flies!!!",
            "Order #4521 shipped on 2024-03-17 for $1,299.99 (incl. 20% VAT).",
            "pi = 3.14159265358979; e = 2.71828; sqrt(2) ≈ 1.41421",
            "for (int i = 0; i < n; i++) { sum += values[i] * weights[i]; }",
            "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
            "def mean(xs): return sum(xs) / len(xs)  # average of a list",
            "Great job team 🎉🚀 let's ship it 👍",
            "I ❤️ NY — naïve café résumé, Übermensch, São Paulo.",
            "   leading and trailing whitespace   ",
            "UPPERCASE AND lowercase ShOuLd NoT mAtTeR for an uncased model",
            "x",
            "机器学习是人工智能的一个分支。",
            "今天天气很好，我们去公园散步吧！",
            "北京是中华人民共和国的首都，也是全国的政治和文化中心。",
            "请问最近的地铁站在哪里？",
            "这个模型把句子转换成向量，用于语义检索。",
            "2024年3月17日，订单编号4521已发货，价格为1299元。",
            "混合检索结合了BM25和向量搜索的优点。",
            "他说：“学而不思则罔，思而不学则殆。”",
            "Mixing 中文 and English in one sentence 是常见的。",
            "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again, "
                    + "and then once more for good measure, because repetition makes a longer input for the "
                    + "tokenizer to chew on, with commas, semicolons; and a few numbers like 42, 1984 and 3.5.",
            "Vector databases store embeddings and answer nearest-neighbour queries; HNSW graphs trade a little "
                    + "recall for much faster search than a brute-force scan over every stored vector.");

    /** About 200 content tokens each: inside all-MiniLM's 254-token window, beyond langchain4j's 126. */
    static final List<String> LONG = List.of(
            repeat("Lucene builds an inverted index that maps each term to the documents containing it, "
                    + "and BM25 scores those documents by term frequency and rarity. ", 6),
            repeat("检索增强生成先从文档中找到相关的段落，再让语言模型根据这些段落回答问题。", 5),
            repeat("Step 3: run `mvn -q test` (exit code 0), then check 12 of 12 tests passed; ", 9));

    static String repeat(String text, int times) {
        return text.repeat(times).strip();
    }
}
