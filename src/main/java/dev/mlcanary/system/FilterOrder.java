package dev.mlcanary.system;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;

/**
 * Where each of the service's servlet filters stands in the chain, in the order requests
 * meet them.
 */
public final class FilterOrder {

	/**
	 * Times the whole request of {@code POST /predict}, so it must see it first and last.
	 */
	public static final int REQUEST_TIMING = Ordered.HIGHEST_PRECEDENCE;

	/** Caps request bodies before anything reads them. */
	public static final int REQUEST_SIZE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;

	/**
	 * Answers the common {@code POST /predict} before the rest of the chain, once the
	 * body is capped.
	 */
	public static final int PREDICT_FAST_PATH = Ordered.HIGHEST_PRECEDENCE + 11;

	/**
	 * Just outside Spring Security's filters, so that refusals by authentication are
	 * audited too.
	 */
	public static final int AUDIT = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1;

	/** Work before an actuator endpoint answers, after everything that guards it. */
	public static final int BEFORE_ENDPOINT = Ordered.LOWEST_PRECEDENCE;

	private FilterOrder() {
	}

}
