package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.process.ProcessPipeline;

import java.time.Duration;

/** One fault: how to break one component, how long it stays broken, how to bring it back. */
public interface Fault {
    /** Short name used in commands ({@code --scenarios connect-kill,...}) and the table. */
    String name();

    /** The table's words for it. */
    String description();

    void inject(ProcessPipeline pipeline) throws Exception;

    /** How long the component stays broken before {@link #heal}. */
    Duration outage();

    void heal(ProcessPipeline pipeline) throws Exception;
}
