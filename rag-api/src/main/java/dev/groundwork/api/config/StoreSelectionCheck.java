package dev.groundwork.api.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Fails start-up on a {@code rag.store} other than {@code lucene} (the default) or {@code postgres}; a misspelt
 * value would otherwise surface later as a missing {@code DocumentIndex} bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${rag.store:lucene}'.matches('lucene|postgres')")
public class StoreSelectionCheck {

    public StoreSelectionCheck(Environment environment) {
        throw new IllegalStateException("rag.store must be lucene (the default) or postgres, was '"
                + environment.getProperty("rag.store") + "'");
    }
}
