package dev.mlcanary.system;

import java.io.IOException;

/** A request body larger than {@code canary.max-request-size} (HTTP 413). */
final class PayloadTooLargeException extends IOException {

	PayloadTooLargeException(long limit) {
		super("The request body is larger than the limit of " + limit + " bytes.");
	}

}
