package io.strata.store;

/** Work done inside one metadata transaction; any exception rolls the transaction back. */
@FunctionalInterface
public interface TxFunction<T> {
  T apply(Tx tx) throws Exception;
}
