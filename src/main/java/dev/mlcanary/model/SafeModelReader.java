package dev.mlcanary.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

import smile.classification.LogisticRegression;

/**
 * Deserialises a model with an allow-list: only the classes that make up Smile's binomial
 * logistic regression may appear in the stream, with tight limits on depth, references,
 * arrays and bytes. A stream naming any other class is rejected before that class is
 * loaded or instantiated, which is what makes a model file data rather than code (the
 * prototype unpickled anything it was given).
 */
final class SafeModelReader {

	static final long MAX_MODEL_BYTES = 1_048_576;

	static final ObjectInputFilter FILTER = ObjectInputFilter.Config
		.createFilter(String.join(";", "maxdepth=8", "maxrefs=64", "maxarray=4096", "maxbytes=" + MAX_MODEL_BYTES,
				"smile.classification.LogisticRegression$Binomial", "smile.classification.LogisticRegression",
				"smile.classification.AbstractClassifier", "smile.util.IntSet", "java.util.HashMap",
				"java.util.Map$Entry", "java.lang.Integer", "java.lang.Number", "!*"));

	private SafeModelReader() {
	}

	static LogisticRegression.Binomial read(byte[] bytes, String name) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(FILTER);
			Object model = in.readObject();
			if (!(model instanceof LogisticRegression.Binomial binomial)) {
				throw InvalidModelException.because("'" + name + "' is not a binomial logistic regression model.");
			}
			if (in.read() != -1) {
				throw InvalidModelException.because("'" + name + "' has trailing bytes after the model.");
			}
			return binomial;
		}
		catch (InvalidClassException ex) {
			throw InvalidModelException.because("'" + name + "' contains a class that is not allowed in a model file.",
					ex);
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			if (ex instanceof InvalidModelException invalid) {
				throw invalid;
			}
			throw InvalidModelException.because("'" + name + "' is not a valid model file.", ex);
		}
	}

}
