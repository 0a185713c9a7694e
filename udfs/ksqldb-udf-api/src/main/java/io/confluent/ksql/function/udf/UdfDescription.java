package io.confluent.ksql.function.udf;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Compile-only declaration of ksqlDB's annotation (same name and members); ksqlDB supplies the real one. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface UdfDescription {
    String name();

    String description();

    String category() default "OTHER";

    String author() default "";

    String version() default "";
}
