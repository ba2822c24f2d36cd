package dev.mlcanary.apidocs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents an admin endpoint that changes the deployment under compare-and-set: it takes
 * the generation it expects ({@code expected_generation} or {@code If-Match}), answers
 * with the new generation as {@code ETag}, and can answer 400 (a malformed
 * {@code If-Match}), 409 (the generation in {@code expected_generation} moved on), 412
 * (the generation in {@code If-Match} moved on) and 503 (the new state could not be
 * saved, or in fleet mode the database cannot be used, so nothing changed).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ChangesDeployment {

}
