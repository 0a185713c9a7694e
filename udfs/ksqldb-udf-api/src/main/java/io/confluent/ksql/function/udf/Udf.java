package io.confluent.ksql.function.udf;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Compile-only declaration of ksqlDB's annotation (same name and members); ksqlDB supplies the real one. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Udf {
    String description() default "";

    String schema() default "";

    String schemaProvider() default "";
}
