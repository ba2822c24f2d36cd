package dev.mlcanary.deployment;

/**
 * Published (as a Spring application event) right after a transition has been saved and
 * made current, on the thread that made it and while no other transition can run:
 * listeners see every deployment in order, even several within a millisecond.
 *
 * @param before the deployment it replaced
 * @param after the deployment now served
 */
public record DeploymentPublished(Deployment before, Deployment after) {
}
