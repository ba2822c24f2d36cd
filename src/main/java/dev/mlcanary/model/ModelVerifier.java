package dev.mlcanary.model;

import java.util.List;

import smile.classification.LogisticRegression;

/**
 * The checks every model passes before it serves, whatever holds its bytes (the model
 * directory or the shared database): feature count, SHA-256 against the manifest, the
 * allow-listed deserialisation of a Smile model or the field checks of a portable
 * document, and a finite probability.
 */
final class ModelVerifier {

	private ModelVerifier() {
	}

	static void requireFeatureCount(ModelManifest manifest, String name) {
		if (manifest.featureNames() == null || manifest.featureNames().size() != ChurnFeatures.COUNT) {
			throw InvalidModelException.because("'" + name + "' expects " + sizeOf(manifest.featureNames())
					+ " features; this service serves models with " + ChurnFeatures.COUNT + " ("
					+ String.join(", ", ChurnFeatures.NAMES) + ").");
		}
	}

	static LoadedModel verify(ModelManifest manifest, String name, byte[] bytes) {
		requireFeatureCount(manifest, name);
		String actual = ModelFiles.sha256(bytes);
		if (!actual.equalsIgnoreCase(String.valueOf(manifest.sha256()))) {
			throw InvalidModelException.because("'" + name + "' failed its integrity check: SHA-256 " + actual
					+ " does not match the manifest's " + manifest.sha256() + ".");
		}
		LogisticRegression.Binomial classifier = classifier(manifest, name, bytes);
		int dimension = classifier.coefficients().length - 1;
		if (dimension != ChurnFeatures.COUNT) {
			throw InvalidModelException.because("'" + name + "' is a model of " + dimension
					+ " features; this service serves models with " + ChurnFeatures.COUNT + ".");
		}
		double probe = classifier.score(new double[ChurnFeatures.COUNT]);
		if (!Double.isFinite(probe)) {
			throw InvalidModelException.because("'" + name + "' produces non-finite probabilities.");
		}
		return new LoadedModel(manifest, name, classifier);
	}

	private static LogisticRegression.Binomial classifier(ModelManifest manifest, String name, byte[] bytes) {
		if (manifest.modelFormat() == null) {
			return SafeModelReader.read(bytes, name);
		}
		if (!manifest.isPortable()) {
			throw InvalidModelException.because("'" + name + "' is in the unknown model format '"
					+ manifest.modelFormat() + "'; this service reads " + PortableModel.FORMAT + ".");
		}
		PortableModel document;
		try {
			document = PortableModel.parse(bytes);
		}
		catch (InvalidModelException ex) {
			throw InvalidModelException.because("'" + name + "': " + ex.getMessage(), ex);
		}
		if (!document.version().equals(manifest.version())
				|| !document.featureNames().equals(manifest.featureNames())) {
			throw InvalidModelException.because("'" + name + "' is the document of version " + document.version()
					+ " but its manifest registers it as " + manifest.version()
					+ " (version and feature_names must agree).");
		}
		return document.classifier();
	}

	private static int sizeOf(List<?> list) {
		return list == null ? 0 : list.size();
	}

}
