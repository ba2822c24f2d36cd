package dev.mlcanary.deployment;

/**
 * What must be written in the same transaction as a change to the shared deployment
 * (postgres mode): the audit trail's record of it, so that no change is committed without
 * its event, nor an event without its change. Implemented by the audit trail; called
 * inside the transaction, where a failure rolls the change back.
 */
public interface TransitionRecorder {

	void record(Deployment before, Deployment after);

}
