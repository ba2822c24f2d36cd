package dev.mlcanary.shared;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which of the two deployed models serves a request. */
public enum Role {

	STABLE, CANARY;

	/** The wire form, as in the prototype: {@code "stable"} or {@code "canary"}. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
