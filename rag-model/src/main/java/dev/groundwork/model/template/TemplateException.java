package dev.groundwork.model.template;

/** A chat template failed to render, or raised an error itself; the message says which template and why. */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
