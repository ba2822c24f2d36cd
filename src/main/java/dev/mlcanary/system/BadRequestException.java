package dev.mlcanary.system;

/** A request that is well-formed JSON but asks for something invalid (HTTP 400). */
public final class BadRequestException extends RuntimeException {

	private BadRequestException(String message) {
		super(message);
	}

	/** @param detail a sentence for the caller saying what is wrong and what is allowed */
	public static BadRequestException because(String detail) {
		return new BadRequestException(detail);
	}

}
