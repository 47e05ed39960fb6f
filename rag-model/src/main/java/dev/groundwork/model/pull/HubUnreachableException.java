package dev.groundwork.model.pull;

import java.io.IOException;

/** The hub cannot be reached at all (no network, unknown host, refused connection). */
public class HubUnreachableException extends IOException {

    public HubUnreachableException(String host, Throwable cause) {
        super("cannot reach " + host + ": this machine is offline; copy the model folder here instead", cause);
    }
}
