package dev.mlcanary.store;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** Which store keeps the deployment and the audit trail: {@code canary.store}. */
public enum Store {

	/**
	 * {@code deployment.json} and {@code events.jsonl} in {@code canary.state-dir}: one
	 * process, no database.
	 */
	FILE,

	/**
	 * One PostgreSQL database ({@code spring.datasource.*}) shared by every replica of a
	 * fleet.
	 */
	POSTGRES;

	static final String PROPERTY = "canary.store";

	/**
	 * The store the environment names; {@link #FILE} when it names none.
	 * @throws org.springframework.boot.context.properties.bind.BindException for a value
	 * that names no store, reported at startup with the valid ones
	 */
	static Store configured(Environment environment) {
		return Binder.get(environment).bind(PROPERTY, Store.class).orElse(FILE);
	}

}
