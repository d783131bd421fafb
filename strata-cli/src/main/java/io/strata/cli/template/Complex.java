package io.strata.cli.template;

/** Go's {@code complex128}, for the complex constants templates can spell ({@code 1+2i}). */
public record Complex(double re, double im) {}
