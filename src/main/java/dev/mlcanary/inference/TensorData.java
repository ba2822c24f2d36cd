package dev.mlcanary.inference;

/**
 * A tensor's {@code data} as sent: its numbers in row-major order, and how they were
 * nested. The protocol allows the flat form ({@code [1, 2, 4, 5]}) and the natural
 * multi-dimensional one ({@code [[1, 2], [4, 5]]}).
 *
 * @param values the numbers, {@code count} of them used
 * @param count how many numbers were sent
 * @param rows how many inner arrays were sent, or -1 for the flat form
 * @param columns how many numbers each inner array holds (the same for all), or -1
 */
record TensorData(double[] values, int count, int rows, int columns) {

	boolean nested() {
		return rows >= 0;
	}

}
