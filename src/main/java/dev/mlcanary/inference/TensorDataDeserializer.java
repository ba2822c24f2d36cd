package dev.mlcanary.inference;

import java.util.Arrays;

import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads {@code data} straight into a {@code double[]}, with no boxed number per element:
 * a flat array of numbers, or an array of arrays of numbers all of one length. Strings,
 * booleans, nulls, deeper nesting and rows of different lengths are refused with a 400
 * naming the position. The numbers' range is checked later, against the datatype.
 */
final class TensorDataDeserializer extends ValueDeserializer<TensorData> {

	@Override
	public TensorData deserialize(JsonParser p, DeserializationContext ctxt) {
		if (p.currentToken() != JsonToken.START_ARRAY) {
			throw BadRequestException.because("\"data\" must be an array of numbers, got " + describe(p.currentToken())
					+ "; flat ([1, 2, 3]) or one array per row ([[1, 2], [3, 4]]).");
		}
		double[] values = new double[64];
		int count = 0;
		int rows = -1;
		int columns = -1;
		for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
			if (token == JsonToken.START_ARRAY) {
				if (rows < 0 && count > 0) {
					throw mixed(count);
				}
				rows = Math.max(rows, 0);
				int before = count;
				for (JsonToken inner = p.nextToken(); inner != JsonToken.END_ARRAY; inner = p.nextToken()) {
					if (count == values.length) {
						values = Arrays.copyOf(values, values.length * 2);
					}
					values[count] = number(p, inner, rows, count - before);
					count++;
				}
				int length = count - before;
				if (columns >= 0 && length != columns) {
					throw BadRequestException.because("\"data\" rows must all have the same length: data[0] has "
							+ columns + " numbers, data[" + rows + "] has " + length + ".");
				}
				columns = length;
				rows++;
			}
			else {
				if (rows >= 0) {
					throw mixed(rows);
				}
				if (count == values.length) {
					values = Arrays.copyOf(values, values.length * 2);
				}
				values[count] = number(p, token, -1, count);
				count++;
			}
		}
		return new TensorData(values, count, rows, columns);
	}

	@Override
	public TensorData getNullValue(DeserializationContext ctxt) {
		throw BadRequestException.because("\"data\" must be an array of numbers, got null.");
	}

	/**
	 * @param row the row of a nested element, -1 for the flat form
	 */
	private static double number(JsonParser p, @Nullable JsonToken token, int row, int index) {
		if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
			return p.getDoubleValue();
		}
		String position = row < 0 ? "data[" + index + "]" : "data[" + row + "][" + index + "]";
		throw BadRequestException.because(position + " must be a number, got " + describe(token) + ".");
	}

	private static BadRequestException mixed(int position) {
		return BadRequestException.because("\"data\" mixes numbers and arrays (at data[" + position
				+ "]); send it flat ([1, 2, 3]) or one array per row ([[1, 2], [3, 4]]).");
	}

	private static String describe(@Nullable JsonToken token) {
		if (token == null) {
			return "nothing";
		}
		return switch (token) {
			case VALUE_STRING -> "a string";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_ARRAY -> "an array nested deeper than rows of numbers";
			case START_OBJECT -> "an object";
			default -> token.toString();
		};
	}

}
