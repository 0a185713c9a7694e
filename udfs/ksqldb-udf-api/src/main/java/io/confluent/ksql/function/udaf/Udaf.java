package io.confluent.ksql.function.udaf;

/** Compile-only declaration of ksqlDB's interface (same name and methods); ksqlDB supplies the real one. */
public interface Udaf<I, A, O> {
    A initialize();

    A aggregate(I current, A aggregate);

    A merge(A aggOne, A aggTwo);

    O map(A agg);
}
