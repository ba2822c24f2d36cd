package dev.mlcanary.apidocs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents an endpoint that answers with the deployment's generation as {@code ETag},
 * the value a later change sends back in {@code If-Match}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ShowsDeployment {

}
