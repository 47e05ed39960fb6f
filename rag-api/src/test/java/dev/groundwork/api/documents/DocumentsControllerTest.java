package dev.groundwork.api.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.groundwork.api.support.ApiTest;
import dev.groundwork.api.support.FakeIngestion;
import dev.groundwork.api.support.InMemoryIndex;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.index.IndexedDocument;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

@ApiTest
class DocumentsControllerTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private InMemoryIndex index;

    @Autowired
    private FakeIngestion ingestion;

    @BeforeEach
    void documents() {
        index.clear();
        ingestion.clear();
        index.add("docs", "b.md", "B", "Bee text.");
        index.add("docs", "a.md", "A", "Ay text.", "More ay text.");
        index.add("other", "c.md", "C", "Sea text.");
    }

    @Test
    void listsTheDocumentsOfACollectionBySource() throws Exception {
        mvc.perform(get("/api/documents").param("collection", "docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].source").value("a.md"))
                .andExpect(jsonPath("$[0].documentId").value(DocumentRef.idFor("docs", "a.md")))
                .andExpect(jsonPath("$[0].chunkCount").value(2))
                .andExpect(jsonPath("$[0].title").value("A"))
                .andExpect(jsonPath("$[0].indexedAt").value("2026-01-02T03:04:05Z"))
                .andExpect(jsonPath("$[1].source").value("b.md"));
        mvc.perform(get("/api/documents"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].source").value(org.hamcrest.Matchers.contains("a.md", "b.md", "c.md")));
    }

    @Test
    void anUnknownCollectionIsNotFound() throws Exception {
        mvc.perform(get("/api/documents").param("collection", "nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("collection 'nope' does not exist"));
    }

    @Test
    void deletesADocumentAndRejectsAnUnknownOne() throws Exception {
        String id = DocumentRef.idFor("docs", "a.md");
        mvc.perform(delete("/api/documents/{id}", id)).andExpect(status().isNoContent());
        assertThat(index.document(id)).isEmpty();

        mvc.perform(delete("/api/documents/{id}", id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString(id)));
    }

    @Test
    void uploadsFilesWithOneResultEachAndAFailingFileDoesNotStopTheOthers() throws Exception {
        mvc.perform(multipart("/api/documents")
                        .file(file("guide.md", "# Guide\n\nStart the server."))
                        .file(file("tool.exe", "MZ"))
                        .file(file("broken.txt", "CORRUPT bytes"))
                        .param("collection", "manuals"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.collection").value("manuals"))
                .andExpect(jsonPath("$.results.length()").value(3))
                .andExpect(jsonPath("$.results[0].source").value("guide.md"))
                .andExpect(jsonPath("$.results[0].status").value("ADDED"))
                .andExpect(jsonPath("$.results[0].chunks").value(2))
                .andExpect(jsonPath("$.results[0].documentId").value(DocumentRef.idFor("manuals", "guide.md")))
                .andExpect(jsonPath("$.results[0].reason").value(org.hamcrest.Matchers.nullValue()))
                .andExpect(jsonPath("$.results[1].status").value("FAILED"))
                .andExpect(jsonPath("$.results[1].reason", containsString("unsupported file type")))
                .andExpect(jsonPath("$.results[2].status").value("FAILED"))
                .andExpect(jsonPath("$.results[2].reason", containsString("broken.txt")));

        assertThat(index.documents("manuals")).extracting(IndexedDocument::source).containsExactly("guide.md");
    }

    @Test
    void uploadsToTheDefaultCollectionAndReportsAnUpdate() throws Exception {
        mvc.perform(multipart("/api/documents").file(file("a.md", "One.")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.collection").value("default"))
                .andExpect(jsonPath("$.results[0].status").value("ADDED"));
        mvc.perform(multipart("/api/documents").file(file("a.md", "One.\n\nTwo.")))
                .andExpect(jsonPath("$.results[0].status").value("UPDATED"))
                .andExpect(jsonPath("$.results[0].chunks").value(2));
    }

    @Test
    void stripsDirectoriesFromUploadedNames() throws Exception {
        mvc.perform(multipart("/api/documents")
                        .file(file("../../etc/passwd.txt", "Not really."))
                        .file(file("C:\\Users\\me\\notes.md", "Windows path."))
                        .param("collection", "docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.results[0].source").value("passwd.txt"))
                .andExpect(jsonPath("$.results[1].source").value("notes.md"));
        assertThat(ingestion.ingested()).containsExactly("docs/passwd.txt", "docs/notes.md");
    }

    @Test
    void onlyUnsupportedFilesIsUnsupportedMediaType() throws Exception {
        mvc.perform(multipart("/api/documents").file(file("tool.exe", "MZ")).file(file("song.mp3", "ID3")))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("tool.exe")))
                .andExpect(jsonPath("$.results.length()").value(2))
                .andExpect(jsonPath("$.results[1].source").value("song.mp3"));
        assertThat(ingestion.ingested()).isEmpty();
    }

    @Test
    void onlyFailedFilesIsUnprocessable() throws Exception {
        mvc.perform(multipart("/api/documents").file(file("broken.txt", "CORRUPT")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.results[0].status").value("FAILED"));
    }

    @Test
    void anOversizedFileIsPayloadTooLarge() throws Exception {
        mvc.perform(multipart("/api/documents")
                        .file(file("small.md", "Fine."))
                        .file(file("big.md", "x".repeat(1025))))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(413));
        assertThat(ingestion.ingested()).isEmpty();
    }

    @Test
    void noFilesOrABadCollectionNameIsABadRequest() throws Exception {
        mvc.perform(multipart("/api/documents").param("collection", "docs"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("files"));
        mvc.perform(multipart("/api/documents").file(file("a.md", "One.")).param("collection", "../etc"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("collection"));
        assertThat(ingestion.ingested()).isEmpty();
    }

    private static MockMultipartFile file(String name, String text) {
        return new MockMultipartFile("files", name, "application/octet-stream", text.getBytes(StandardCharsets.UTF_8));
    }
}
