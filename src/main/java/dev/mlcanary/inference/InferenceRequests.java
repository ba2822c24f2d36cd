package dev.mlcanary.inference;

import java.util.Arrays;
import java.util.List;

import dev.mlcanary.inference.InferenceRequest.RequestInput;
import dev.mlcanary.inference.InferenceRequest.RequestOutput;
import dev.mlcanary.model.ChurnFeatures;
import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;

/**
 * Turns an inference request into the rows the model scores, or refuses it with a
 * sentence that says what the model takes: one input {@code features} of shape
 * {@code [N, 5]}, FP64 or FP32, N times 5 finite numbers (flat or one array per row), and
 * only {@code churn_probability} as an output.
 */
final class InferenceRequests {

	static final String INPUT = "features";

	static final String OUTPUT = "churn_probability";

	static final String FP64 = "FP64";

	static final String FP32 = "FP32";

	/** As for {@code /predict}: beyond this, w·x could overflow. */
	static final double MAX_ABS = 1e6;

	private InferenceRequests() {
	}

	/**
	 * @throws BadRequestException for anything but what the model takes
	 * @throws dev.mlcanary.system.ProblemException (413) for more than {@code maxRows}
	 * rows
	 */
	static double[][] rows(InferenceRequest request, int maxRows) {
		List<RequestInput> inputs = request.inputs();
		if (inputs == null || inputs.size() != 1) {
			throw BadRequestException.because("\"inputs\" must hold exactly one input, \"" + INPUT + "\"; got "
					+ (inputs == null ? 0 : inputs.size()) + ".");
		}
		RequestInput input = inputs.get(0);
		if (!INPUT.equals(input.name())) {
			throw BadRequestException
				.because("Unknown input " + quoted(input.name()) + "; the model takes one input, \"" + INPUT + "\".");
		}
		String datatype = input.datatype();
		boolean fp32 = FP32.equals(datatype);
		if (!fp32 && !FP64.equals(datatype)) {
			throw BadRequestException
				.because("Input \"" + INPUT + "\" has datatype " + quoted(datatype) + "; send FP64 or FP32.");
		}
		long[] shape = input.shape();
		if (shape == null || shape.length != 2 || shape[0] < 1 || shape[1] != ChurnFeatures.COUNT) {
			throw BadRequestException.because("Input \"" + INPUT + "\" has shape "
					+ (shape == null ? "none" : Arrays.toString(shape)) + "; the model takes [N, " + ChurnFeatures.COUNT
					+ "]: N >= 1 rows of " + ChurnFeatures.COUNT + " features.");
		}
		if (shape[0] > maxRows) {
			throw InferenceProblems.batchTooLarge(shape[0], maxRows);
		}
		requireKnownOutputs(request.outputs());
		int rows = (int) shape[0];
		TensorData data = input.data();
		if (data == null) {
			throw BadRequestException.because("Input \"" + INPUT + "\" has no \"data\".");
		}
		if (data.nested() && (data.rows() != rows || data.columns() != ChurnFeatures.COUNT)) {
			throw BadRequestException.because("Input \"" + INPUT + "\" has data of " + data.rows() + " rows of "
					+ data.columns() + " numbers for shape " + Arrays.toString(shape) + "; send " + rows + " rows of "
					+ ChurnFeatures.COUNT + " numbers, or " + rows * ChurnFeatures.COUNT + " numbers flat.");
		}
		if (!data.nested() && data.count() != rows * ChurnFeatures.COUNT) {
			throw BadRequestException
				.because("Input \"" + INPUT + "\" holds " + data.count() + " numbers in \"data\" for shape "
						+ Arrays.toString(shape) + ", which needs " + rows * ChurnFeatures.COUNT + ".");
		}
		return toRows(data.values(), rows, fp32);
	}

	private static void requireKnownOutputs(@Nullable List<RequestOutput> outputs) {
		if (outputs == null) {
			return;
		}
		for (RequestOutput output : outputs) {
			if (!OUTPUT.equals(output.name())) {
				throw BadRequestException.because("Unknown output " + quoted(output.name())
						+ "; the model produces one output, \"" + OUTPUT + "\".");
			}
		}
	}

	/**
	 * FP32 values are rounded to the nearest float, as a 32-bit tensor holds them; either
	 * way they are scored in double precision.
	 */
	private static double[][] toRows(double[] values, int rows, boolean fp32) {
		double[][] result = new double[rows][ChurnFeatures.COUNT];
		for (int i = 0; i < rows; i++) {
			double[] row = result[i];
			for (int j = 0; j < ChurnFeatures.COUNT; j++) {
				double raw = values[i * ChurnFeatures.COUNT + j];
				double value = fp32 ? (double) (float) raw : raw;
				if (!Double.isFinite(value) || Math.abs(value) > MAX_ABS) {
					throw BadRequestException.because("Input \"" + INPUT + "\" data[" + (i * ChurnFeatures.COUNT + j)
							+ "] (row " + i + ", " + ChurnFeatures.NAMES.get(j) + ") must be a finite number between "
							+ "-1e6 and 1e6" + (fp32 ? " as FP32" : "") + ", got " + raw + ".");
				}
				row[j] = value;
			}
		}
		return result;
	}

	private static String quoted(@Nullable String value) {
		return value == null ? "null" : "\"" + value.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
	}

}
