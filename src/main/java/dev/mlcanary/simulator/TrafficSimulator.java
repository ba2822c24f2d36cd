package dev.mlcanary.simulator;

public final class TrafficSimulator {

	public static int run(String[] args) {
		throw new UnsupportedOperationException("TODO");
	}

}
