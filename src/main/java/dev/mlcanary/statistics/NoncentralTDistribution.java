package dev.mlcanary.statistics;

import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.ContinuedFraction;
import org.apache.commons.math3.util.FastMath;

/**
 * Cumulative distribution function of the noncentral t distribution.
 *
 * <p>
 * Why this is hand-written: the power of a t-test is a tail probability of the
 * <em>noncentral</em> t distribution, and commons-math3 (the only statistics library on
 * the classpath) has only the central one. Rather than pull in another dependency, this
 * class implements R. V. Lenth, "Algorithm AS 243: Cumulative distribution function of
 * the non-central t distribution", <em>Applied Statistics</em> 38(1), 185-189 (1989):
 * Guenther's twin series, an incomplete-beta expansion weighted by Poisson probabilities,
 * with Lenth's error bound as the stopping rule. The special functions come from
 * commons-math3: {@link Beta#regularizedBeta} and its continued fraction for the
 * incomplete beta function, {@link Beta#logBeta} (which combines {@code Gamma.logGamma}
 * with corrections that keep it accurate for large arguments) and
 * {@link PoissonDistribution} for the Poisson weights.
 *
 * <p>
 * Differences from the published Fortran, each for accuracy or termination:
 * <ul>
 * <li>the tolerance is 1e-15 instead of 1e-6, so power analysis can be checked to 1e-8
 * relative;</li>
 * <li>{@code (1-x)^b}, {@code 1-(1-x)^b} and the Poisson tail mass are computed with
 * {@code log1p} and {@code expm1} (as R's {@code pnt} does), which keeps them accurate
 * when {@code t*t} is small against {@code df};</li>
 * <li>the incomplete beta values, which the paper obtains by subtraction from the
 * previous term, are recomputed every {@value #REANCHOR_INTERVAL} terms, so rounding does
 * not accumulate over the thousands of terms that large noncentralities need;</li>
 * <li>every term of the twin series whose running value has become tiny (or underflowed
 * to zero) is recomputed from its closed form (the Poisson weights with commons-math's
 * saddle-point {@link PoissonDistribution}), so large noncentralities and large {@code t}
 * do not lose terms to underflow;</li>
 * <li>past the Poisson mode, Lenth's remaining-mass term {@code s} (kept by subtraction)
 * is replaced by a geometric bound whenever smaller, so the stopping rule cannot stall on
 * rounding;</li>
 * <li>the number of iterations is bounded: the series is only used while the Poisson mean
 * {@code delta*delta/2} is at most {@value #MAX_POISSON_MEAN}, which the series exhausts
 * in far fewer than {@value #MAX_ITERATIONS} iterations.</li>
 * </ul>
 *
 * <p>
 * Outside that range the CDF falls back to the normal approximation of Abramowitz and
 * Stegun 26.7.10, {@code Phi((t(1 - 1/(4 df)) - delta) / sqrt(1 + t^2/(2 df)))}, whose
 * error is of order {@code 1/df^2} and grows with {@code |delta|}:
 * <ul>
 * <li>when {@code |delta| > 100}, as R's {@code pnt} does beyond 37.62. There it is exact
 * to double precision when {@code t} and {@code delta} have opposite signs, but otherwise
 * only a rough approximation for small {@code df} (errors up to about 1e-2 at
 * {@code df = 3}; meaningless below {@code df = 1/4}). Power analysis meets that region
 * only with probabilities indistinguishable from 0 or 1;</li>
 * <li>when {@code df > 4e5 (1 + |delta|/2)}, because the series loses accuracy as
 * {@code df} grows: the incomplete-beta continued fraction loses about
 * {@code df * 1.5e-18} near {@code t = sqrt(3)}. The switch sits where the two errors are
 * comparable; measured against each other the two methods agree there to 2e-12 for
 * {@code |delta| <= 3} (where power analysis works), 1e-11 for {@code |delta| <= 30} and
 * 1e-10 up to {@code |delta| = 100}.</li>
 * </ul>
 *
 * <p>
 * Below {@code df = 1e-300} the value is the {@code df -> 0} limit {@code Phi(-delta)},
 * which is exact to double precision there.
 */
public final class NoncentralTDistribution {

	/**
	 * Above {@code MAX_SERIES_DF * (1 + |delta| / 2)} degrees of freedom the normal
	 * approximation is used (see the class comment).
	 */
	static final double MAX_SERIES_DF = 4e5;

	/**
	 * Largest Poisson mean {@code delta^2/2} summed by the series
	 * ({@code |delta| <= 100}).
	 */
	static final double MAX_POISSON_MEAN = 5000;

	/**
	 * Below this many degrees of freedom the limit {@code df -> 0} is exact to double
	 * precision.
	 */
	static final double MIN_DF = 1e-300;

	/**
	 * Hard bound on series iterations. The series stops after at most about
	 * {@code mean + 9 sqrt(mean) + 40} (measured), 5700 for the largest mean.
	 */
	static final int MAX_ITERATIONS = 10_000;

	/**
	 * Lenth's error bound below which the series stops (absolute, on the probability).
	 */
	private static final double ERROR_MAX = 1e-15;

	/**
	 * Below this Poisson mean the first weight {@code 0.5 e^-mean} is a normal double
	 * (not below TINY).
	 */
	private static final double POISSON_SAFE_MEAN = 600;

	/**
	 * Running terms below this are recomputed from their closed form (they may have
	 * underflowed).
	 */
	private static final double TINY = 1e-280;

	/**
	 * Every this many iterations the incomplete beta values are recomputed instead of
	 * recurred.
	 */
	private static final int REANCHOR_INTERVAL = 64;

	private static final double BETA_EPSILON = 1e-15;

	private static final int BETA_MAX_ITERATIONS = 100_000;

	private static final double LN_HALF = -FastMath.log(2);

	private static final double SQRT2 = FastMath.sqrt(2);

	private NoncentralTDistribution() {
	}

	/**
	 * {@code P(T <= t)} for {@code T} noncentral t with {@code df} degrees of freedom and
	 * noncentrality {@code delta}.
	 * @param t the point; infinite values give 0 or 1
	 * @param df degrees of freedom, finite and positive (need not be an integer)
	 * @param delta noncentrality, finite
	 * @return the probability, in [0, 1]
	 * @throws IllegalArgumentException if {@code t} is NaN, {@code df} is not finite and
	 * positive, or {@code delta} is not finite
	 */
	public static double cumulativeProbability(double t, double df, double delta) {
		if (Double.isNaN(t)) {
			throw new IllegalArgumentException("t must not be NaN");
		}
		if (!(df > 0) || Double.isInfinite(df)) {
			throw new IllegalArgumentException("df must be a finite number greater than 0, but was " + df);
		}
		if (!Double.isFinite(delta)) {
			throw new IllegalArgumentException("delta must be a finite number, but was " + delta);
		}
		if (t == Double.POSITIVE_INFINITY) {
			return 1;
		}
		if (t == Double.NEGATIVE_INFINITY) {
			return 0;
		}
		if (df < MIN_DF) {
			// W/df, W ~ chi2(df), is 0 with probability 1 - O(df * 1500) for any double
			// argument: T' is
			// infinite with the sign of Z + delta. (The series would meet subnormal
			// arithmetic here.)
			return normalCdf(-delta);
		}
		if (usesNormalApproximation(df, delta)) {
			// The approximation is itself symmetric under the reflection below.
			return normalApproximation(t, df, delta);
		}
		// Reflection: F(t; df, delta) = 1 - F(-t; df, -delta), so the series only sees t
		// >= 0.
		boolean reflected = t < 0;
		double tt = reflected ? -t : t;
		double del = reflected ? -delta : delta;
		double series;
		try {
			series = twinSeries(tt, df, del);
		}
		catch (MathIllegalStateException ex) {
			// The incomplete-beta continued fraction did not converge within its bound:
			// not seen in
			// testing, but an answer within the approximation's accuracy beats an error.
			return normalApproximation(t, df, delta);
		}
		// The series is F(|t|) - F(0) >= 0; rounding can leave it slightly negative when
		// the
		// probability is far below its terms (large |delta| on the far side of t).
		series = FastMath.max(0, series);
		if (reflected) {
			// 1 - (series + Phi(-del)) = Phi(del) - series, without forming 1 -
			// (something near 1).
			return clamp(normalCdf(del) - series);
		}
		return clamp(series + normalCdf(-del));
	}

	/**
	 * Whether {@link #cumulativeProbability} answers with Abramowitz and Stegun 26.7.10.
	 */
	static boolean usesNormalApproximation(double df, double delta) {
		double poissonMean = 0.5 * delta * delta;
		return poissonMean > MAX_POISSON_MEAN || df > MAX_SERIES_DF * (1 + 0.5 * Math.abs(delta));
	}

	/**
	 * Lenth's twin series for {@code t >= 0}: returns {@code F(t; df, del) - Phi(-del)}.
	 */
	private static double twinSeries(double t, double df, double del) {
		double tSquared = t * t;
		if (tSquared == 0) {
			return 0;
		}
		double a = 0.5;
		double b = 0.5 * df;
		BetaArgument arg = BetaArgument.of(t, df);
		double x = arg.x();
		double logX = arg.logX();
		double log1mX = arg.log1mX();
		double lambda = del * del;
		double mean = 0.5 * lambda;
		// Only needed once the first weight 0.5 e^-mean falls below TINY (mean above
		// about 644).
		PoissonDistribution poisson = (mean > POISSON_SAFE_MEAN) ? new PoissonDistribution(null, mean,
				PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS) : null;
		double sign = (del < 0) ? -1 : 1;

		double p = FastMath.exp(LN_HALF - mean);
		double q = sign * FastMath.sqrt(2 / FastMath.PI) * p * FastMath.abs(del);
		if (p < TINY && poisson != null) {
			p = poissonWeight(poisson, 0);
			q = sign * halfIntegerWeight(p, 0, mean);
		}
		// Half the Poisson mass not yet used: 0.5 - p0, accurately.
		double s = -0.5 * FastMath.expm1(-mean);
		double logRxb = b * log1mX;
		double xodd = regularizedBeta(arg, a, b);
		double godd = FastMath.exp(logIncrement(a, b, logX, log1mX));
		double xeven = -FastMath.expm1(logRxb);
		double geven = FastMath.exp(logIncrement(1, b, logX, log1mX));
		double sum = p * xodd + q * xeven;
		for (int it = 1; it <= MAX_ITERATIONS; it++) {
			a += 1;
			if (it % REANCHOR_INTERVAL == 0) {
				// The subtractions below accumulate rounding (about it * 1e-16) in values
				// that shrink
				// towards 0; recomputing them now and then keeps far tails accurate.
				xodd = regularizedBeta(arg, a, b);
				xeven = regularizedBeta(arg, a + 0.5, b);
			}
			else {
				xodd -= godd;
				xeven -= geven;
			}
			godd = (godd < TINY) ? FastMath.exp(logIncrement(a, b, logX, log1mX)) : godd * x * (a + b - 1) / a;
			geven = (geven < TINY) ? FastMath.exp(logIncrement(a + 0.5, b, logX, log1mX))
					: geven * x * (a + b - 0.5) / (a + 0.5);
			if (p < TINY && poisson != null) {
				p = poissonWeight(poisson, it);
				q = sign * halfIntegerWeight(p, it, mean);
			}
			else {
				p *= lambda / (2 * it);
				q *= lambda / (2 * it + 1);
			}
			sum += p * xodd + q * xeven;
			s -= p;
			if (s <= 0 && it > 1) {
				break;
			}
			// s comes from subtractions and can stall at the rounding error of the
			// weights (about 1e-14
			// for large means), which would keep the loop going while xodd stays near 1.
			// Past the mode
			// the weights fall faster than the geometric series of ratio mean/(it+1),
			// which bounds the
			// remaining mass rigorously.
			double remaining = s;
			double ratio = mean / (it + 1);
			if (ratio < 1) {
				remaining = FastMath.min(s, p * ratio / (1 - ratio));
			}
			double errorBound = 2 * remaining * (xodd - godd);
			if (Math.abs(errorBound) < ERROR_MAX) {
				break;
			}
		}
		return sum;
	}

	/**
	 * Lower tail of the central t distribution, {@code P(T <= t)} for {@code t <= 0},
	 * accurate relative to its value however small: {@code (1 - I_x(1/2, df/2)) / 2} with
	 * {@code x = t^2/(t^2 + df)}, the complement taken directly rather than by
	 * subtraction. Used for the t-test's critical values, where commons-math's
	 * {@code TDistribution} is not accurate enough (see {@code PowerAnalysis}).
	 * @param t a point at or below 0
	 * @param df degrees of freedom, at least {@value #MIN_DF}
	 */
	static double centralLowerTail(double t, double df) {
		if (t == 0) {
			return 0.5;
		}
		return 0.5 * regularizedBetaComplement(BetaArgument.of(t, df), 0.5, 0.5 * df);
	}

	/**
	 * {@code x = t^2 / (t^2 + df)}, {@code 1 - x} and their logarithms, each computed
	 * without overflow or cancellation, for {@code t != 0}.
	 */
	private record BetaArgument(double x, double oneMinusX, double logX, double log1mX) {

		static BetaArgument of(double t, double df) {
			double tSquared = t * t;
			if (Double.isInfinite(tSquared)) {
				return new BetaArgument(1, 0, 0, FastMath.log(df) - 2 * FastMath.log(Math.abs(t)));
			}
			double ratio = tSquared / df;
			double log1mX = Double.isInfinite(ratio) ? FastMath.log(df) - 2 * FastMath.log(Math.abs(t))
					: -FastMath.log1p(ratio);
			return new BetaArgument(tSquared / (tSquared + df), df / (tSquared + df), -FastMath.log1p(df / tSquared),
					log1mX);
		}

	}

	/**
	 * The regularized incomplete beta function {@code I_x(a, b)}; see
	 * {@link #regularizedBetaComplement}.
	 */
	private static double regularizedBeta(BetaArgument arg, double a, double b) {
		if (arg.x() <= (a + 1) / (a + b + 2)) {
			return Beta.regularizedBeta(arg.x(), a, b, BETA_EPSILON, BETA_MAX_ITERATIONS);
		}
		return 1 - swappedContinuedFraction(arg, a, b);
	}

	/**
	 * {@code 1 - I_x(a, b)}, accurate relative to its value when that is small.
	 *
	 * <p>
	 * Where the continued fraction converges directly ({@code x <= (a+1)/(a+b+2)}) this
	 * is one minus commons-math's {@link Beta#regularizedBeta}, which is accurate there.
	 * On the other side it is {@code I_(1-x)(b, a)}, and commons-math would compute
	 * {@code 1 - x} itself and take {@code b * log(1 - x)} of the rounded value: with
	 * {@code b = df/2} large and {@code x} small that costs about {@code df * 1e-16}
	 * absolute accuracy, which the twin series would then carry into every term. So that
	 * side runs commons-math's own continued fraction (same coefficients, see
	 * {@link Beta}) with the prefactor taken from the exact logarithms.
	 */
	private static double regularizedBetaComplement(BetaArgument arg, double a, double b) {
		if (arg.x() <= (a + 1) / (a + b + 2)) {
			return 1 - Beta.regularizedBeta(arg.x(), a, b, BETA_EPSILON, BETA_MAX_ITERATIONS);
		}
		return swappedContinuedFraction(arg, a, b);
	}

	/** {@code I_(1-x)(b, a)} by the continued fraction, for {@code x > (a+1)/(a+b+2)}. */
	private static double swappedContinuedFraction(BetaArgument arg, double a, double b) {
		ContinuedFraction fraction = new ContinuedFraction() {

			@Override
			protected double getA(int n, double z) {
				return 1.0;
			}

			@Override
			protected double getB(int n, double z) {
				// The coefficients of I_z(p, q) with p = b, q = a.
				if (n % 2 == 0) {
					double m = n / 2.0;
					return (m * (a - m) * z) / ((b + (2 * m) - 1) * (b + (2 * m)));
				}
				double m = (n - 1.0) / 2.0;
				return -((b + m) * (a + b + m) * z) / ((b + (2 * m)) * (b + (2 * m) + 1.0));
			}

		};
		return FastMath.exp(b * arg.log1mX() + a * arg.logX() - FastMath.log(b) - Beta.logBeta(b, a))
				/ fraction.evaluate(arg.oneMinusX(), BETA_EPSILON, BETA_MAX_ITERATIONS);
	}

	/**
	 * {@code I_x(a, b) - I_x(a + 1, b) = x^a (1-x)^b / (a B(a, b))}, in log space.
	 */
	private static double logIncrement(double a, double b, double logX, double log1mX) {
		return a * logX + b * log1mX - FastMath.log(a) - Beta.logBeta(a, b);
	}

	/**
	 * Lenth's {@code p} weight, half a Poisson probability
	 * {@code 0.5 e^-mean mean^j / j!}, from commons-math's saddle-point evaluation
	 * (Loader 2000). Computing it as {@code exp(-mean + j log(mean) - logGamma(j + 1))}
	 * instead would cost about 1e-12 relative accuracy for means in the thousands, and
	 * every later weight inherits the error of this restart value.
	 */
	private static double poissonWeight(PoissonDistribution poisson, int j) {
		return 0.5 * poisson.probability(j);
	}

	/**
	 * Lenth's {@code |q|} weight, {@code 0.5 e^-mean mean^(j+1/2) / Gamma(j + 3/2)}, from
	 * the {@code p} weight of the same index: their ratio is
	 * {@code sqrt(mean) Gamma(j+1) / Gamma(j+3/2)} {@code = sqrt(mean / pi) B(j+1, 1/2)},
	 * and commons-math's {@link Beta#logBeta} evaluates that without the cancellation of
	 * two large log-gammas.
	 */
	private static double halfIntegerWeight(double p, int j, double mean) {
		return p * FastMath.sqrt(mean / FastMath.PI) * FastMath.exp(Beta.logBeta(j + 1, 0.5));
	}

	/**
	 * Abramowitz and Stegun 26.7.10, arranged so that huge {@code t} or tiny {@code df}
	 * cannot overflow.
	 */
	private static double normalApproximation(double t, double df, double delta) {
		if (delta > 0 && t <= 0) {
			// F(t) <= F(0) = Phi(-delta), and here |delta| > 100: the exact value rounds
			// to 0.
			return (0.5 * delta * delta > MAX_POISSON_MEAN) ? 0 : approximation(t, df, delta);
		}
		if (delta < 0 && t >= 0) {
			return (0.5 * delta * delta > MAX_POISSON_MEAN) ? 1 : approximation(t, df, delta);
		}
		return approximation(t, df, delta);
	}

	private static double approximation(double t, double df, double delta) {
		double s = 1 / (4 * df);
		double z = (t * (1 - s) - delta) / Math.hypot(1, t * Math.sqrt(2 * s));
		// NaN only for absurdly small df, where T' is +-infinity with the sign of Z +
		// delta.
		return Double.isNaN(z) ? normalCdf(-delta) : normalCdf(z);
	}

	/** Standard normal CDF, accurate in both tails. */
	static double normalCdf(double z) {
		return 0.5 * Erf.erfc(-z / SQRT2);
	}

	private static double clamp(double probability) {
		return FastMath.max(0, FastMath.min(1, probability));
	}

}
