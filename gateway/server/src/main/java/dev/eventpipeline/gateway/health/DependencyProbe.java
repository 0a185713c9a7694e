package dev.eventpipeline.gateway.health;

/** Checks one dependency of the pipeline; must return within a couple of seconds and never throw. */
public interface DependencyProbe {
    String name();

    Check check();
}
