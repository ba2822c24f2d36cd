package dev.mlcanary.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;

import smile.classification.LogisticRegression;
import smile.validation.metric.AUC;
import smile.validation.metric.Accuracy;
import smile.validation.metric.LogLoss;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains the bundled models on a synthetic churn data set: {@code v1} with Smile's
 * logistic regression, {@code v2} on the same rows plus Gaussian feature noise (sd 0.01,
 * as the prototype does), and {@code v3} on the same rows with their labels shuffled: a
 * model that serves as fast as the others but has learned nothing, so that a canary
 * analysis which looks only at latency passes it. Same seed, same bytes: the model files
 * are reproducible, only {@code created_at} differs. Each version draws from its own
 * random stream ({@code seed + 1} for v2's noise, {@code seed + 2} for v3's shuffle), so
 * adding a version never changes the bytes of an earlier one.
 *
 * <p>
 * Usage: {@code java -jar ml-canary.jar train [--out models] [--seed 20261126]}
 */
public final class ModelTrainer {

	static final long DEFAULT_SEED = 20261126L;

	static final int ROWS = 2000;

	static final int TRAINING_ROWS = 1500;

	static final double V2_NOISE_SD = 0.01;

	/** Offset of v3's label shuffle from the seed; v2's noise uses {@code seed + 1}. */
	static final long V3_SHUFFLE_SEED_OFFSET = 2;

	private final long seed;

	private final Clock clock;

	private final JsonMapper json = ModelJson.mapper();

	ModelTrainer(long seed, Clock clock) {
		this.seed = seed;
		this.clock = clock;
	}

	static final String USAGE = "Usage: java -jar ml-canary.jar train [--out DIR] [--seed N]\n"
			+ "  Trains v1, v2 and v3 on the synthetic churn data and writes them with their manifests into DIR (default models).";

	/**
	 * Command-line entry: 0 on success, 2 for a usage error (the message and the usage
	 * are printed).
	 */
	public static int run(String[] args) {
		if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
			System.out.println(USAGE);
			return 0;
		}
		try {
			main(args);
			return 0;
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage() + "\n" + USAGE);
			return 2;
		}
	}

	public static void main(String[] args) {
		Path out = Path.of("models");
		long seed = DEFAULT_SEED;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--out" -> out = Path.of(requireValue(args, ++i, "--out"));
				case "--seed" -> seed = parseSeed(requireValue(args, ++i, "--seed"));
				default ->
					throw new IllegalArgumentException("Unknown option " + args[i] + " (use --out DIR, --seed N)");
			}
		}
		for (ModelManifest manifest : new ModelTrainer(seed, Clock.systemUTC()).trainAll(out)) {
			System.out.printf("%s: holdout accuracy %.4f, log-loss %.4f, AUC %.4f -> %s%n", manifest.version(),
					manifest.holdoutAccuracy(), manifest.holdoutLogLoss(), manifest.holdoutAuc(),
					out.resolve(manifest.modelFile()));
		}
	}

	private static long parseSeed(String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--seed must be a whole number, got '" + value + "'");
		}
	}

	private static String requireValue(String[] args, int i, String option) {
		if (i >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[i];
	}

	/**
	 * Trains every bundled version and writes model files and manifests into {@code dir}.
	 */
	java.util.List<ModelManifest> trainAll(Path dir) {
		SyntheticChurnData.Rows all = SyntheticChurnData.generate(ROWS, new SplittableRandom(seed));
		SyntheticChurnData.Rows training = all.slice(0, TRAINING_ROWS);
		SyntheticChurnData.Rows holdout = all.slice(TRAINING_ROWS, ROWS);
		SyntheticChurnData.Rows noisy = training.withFeatureNoise(V2_NOISE_SD, new SplittableRandom(seed + 1));
		SyntheticChurnData.Rows shuffled = training
			.withShuffledLabels(new SplittableRandom(seed + V3_SHUFFLE_SEED_OFFSET));
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return java.util.List.of(
				write(dir, "v1", training, holdout, "Logistic regression on the synthetic churn training rows."),
				write(dir, "v2", noisy, holdout,
						"v1's training rows plus Gaussian feature noise (sd " + V2_NOISE_SD
								+ "): a near-identical candidate."),
				write(dir, "v3", shuffled, holdout,
						"A deliberately bad candidate: v1's training rows with their labels shuffled (seeded), so it has "
								+ "learned nothing real. It serves as fast as v1 and takes the same 5 features, but its "
								+ "predictions are no better than chance (see holdout_auc and holdout_accuracy); a latency "
								+ "check passes it, only comparing its predictions with stable's catches it."));
	}

	private ModelManifest write(Path dir, String version, SyntheticChurnData.Rows training,
			SyntheticChurnData.Rows holdout, String description) {
		LogisticRegression.Binomial model = LogisticRegression.binomial(training.x(), training.y());
		byte[] bytes = serialize(model);
		double[] probability = new double[holdout.size()];
		int[] predicted = new int[holdout.size()];
		for (int i = 0; i < holdout.size(); i++) {
			probability[i] = model.score(holdout.x()[i]);
			predicted[i] = probability[i] >= 0.5 ? 1 : 0;
		}
		String modelFile = "model_" + version + ".ser";
		ModelManifest manifest = new ModelManifest(version,
				"smile-core 3.1.1 LogisticRegression.Binomial (L-BFGS, lambda 0)", modelFile, ModelFiles.sha256(bytes),
				ChurnFeatures.NAMES, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), seed,
				training.size(), holdout.size(), Accuracy.of(holdout.y(), predicted),
				LogLoss.of(holdout.y(), probability), AUC.of(holdout.y(), probability), description, null, null);
		writeAtomically(dir.resolve(modelFile), bytes);
		writeAtomically(dir.resolve(ModelManifest.fileNameFor(version)),
				(json.writeValueAsString(manifest) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return manifest;
	}

	static byte[] serialize(Object model) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
			out.writeObject(model);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return buffer.toByteArray();
	}

	private static void writeAtomically(Path target, byte[] bytes) {
		try {
			ModelFiles.writeDurably(target, bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
