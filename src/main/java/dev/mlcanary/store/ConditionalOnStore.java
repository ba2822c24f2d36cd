package dev.mlcanary.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * A bean or configuration that exists only with the given {@code canary.store}. Every
 * bean that keeps state has one variant per store, so exactly one of them is created; a
 * value that names no store stops the startup with the valid ones listed, rather than
 * leaving the service without either.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnStoreCondition.class)
public @interface ConditionalOnStore {

	Store value();

}
