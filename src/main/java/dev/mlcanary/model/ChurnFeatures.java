package dev.mlcanary.model;

import java.util.List;

/**
 * The feature schema every model of this service is trained on and every request must
 * carry, in this order. Values are roughly in [0, 1.5] (normalised customer signals).
 */
public final class ChurnFeatures {

	/** Feature names, in the order of {@code features} in a prediction request. */
	public static final List<String> NAMES = List.of("support_calls", "monthly_charges", "contract_length",
			"usage_decline", "payment_delays");

	/** How many numbers a prediction request must carry. */
	public static final int COUNT = NAMES.size();

	private ChurnFeatures() {
	}

}
