package dev.mlcanary.apidocs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint answers, for its API documentation: each becomes an
 * {@code application/problem+json} response with a real example. The 401 and 403 of the
 * admin access rules are added from {@link AdminAccessRules} and need not be listed, nor
 * do those of {@link ChangesDeployment}, nor those of every JSON body (malformed JSON,
 * 413, 415).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ApiProblems {

	ApiProblem[] value();

}
