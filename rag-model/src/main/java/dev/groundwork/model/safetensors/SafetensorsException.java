package dev.groundwork.model.safetensors;

/** A safetensors file or folder cannot be read; the message names the file or tensor and the reason. */
public class SafetensorsException extends RuntimeException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
