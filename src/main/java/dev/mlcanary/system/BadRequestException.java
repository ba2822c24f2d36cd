package dev.mlcanary.system;

import org.springframework.http.HttpStatus;

/** A request that is well-formed JSON but asks for something invalid (HTTP 400). */
public final class BadRequestException extends ProblemException {

	private BadRequestException(String detail) {
		super(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail, null);
	}

	/**
	 * @param detail a sentence for the caller saying what is wrong and what is allowed
	 */
	public static BadRequestException because(String detail) {
		return new BadRequestException(detail);
	}

}
