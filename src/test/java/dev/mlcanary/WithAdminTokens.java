package dev.mlcanary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The whole application behind MockMvc, with the operator and read tokens of
 * {@link TestTokens} configured. Every test class so annotated shares one application
 * context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(
		properties = { "canary.admin.token=" + TestTokens.OPERATOR, "canary.admin.read-token=" + TestTokens.READER })
@AutoConfigureMockMvc
public @interface WithAdminTokens {

}
