package dev.mailroom.protocol;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Jackson's read constraints, failing with a {@link JsonLimitException} in plain words instead of
 * Jackson's message, which names its own methods ({@code
 * StreamReadConstraints.getMaxNestingDepth()}). Each check is Jackson's; only the exception
 * differs. Immutable and thread-safe.
 */
final class ReadLimits extends StreamReadConstraints {
  private static final long serialVersionUID = 1L;

  /** Jackson's bound on the exponent of a number converted to a whole number. */
  private static final int MAX_SCALE = 100_000;

  private static final long UNLIMITED = -1;

  /**
   * @param maxDepth levels of arrays and objects
   * @param maxNumberLength digits of one number
   * @param maxStringLength characters of one string or property name
   */
  ReadLimits(int maxDepth, int maxNumberLength, int maxStringLength) {
    super(maxDepth, UNLIMITED, UNLIMITED, maxNumberLength, maxStringLength, maxStringLength);
  }

  @Override
  public void validateNestingDepth(int depth) throws StreamConstraintsException {
    if (depth > _maxNestingDepth) {
      throw new JsonLimitException(JsonLimitException.Kind.DEPTH, _maxNestingDepth);
    }
  }

  @Override
  public void validateFPLength(int length) throws StreamConstraintsException {
    numberLength(length);
  }

  @Override
  public void validateIntegerLength(int length) throws StreamConstraintsException {
    numberLength(length);
  }

  private void numberLength(int length) {
    if (length > _maxNumLen) {
      throw new JsonLimitException(JsonLimitException.Kind.NUMBER_LENGTH, _maxNumLen);
    }
  }

  @Override
  public void validateStringLength(int length) throws StreamConstraintsException {
    validateStringLengthLong(length);
  }

  @Override
  public void validateStringLengthLong(long length) throws StreamConstraintsException {
    if (length > _maxStringLen) {
      throw new JsonLimitException(JsonLimitException.Kind.STRING_LENGTH, _maxStringLen);
    }
  }

  @Override
  public void validateNameLength(int length) throws StreamConstraintsException {
    if (length > _maxNameLen) {
      throw new JsonLimitException(JsonLimitException.Kind.NAME_LENGTH, _maxNameLen);
    }
  }

  @Override
  public void validateBigIntegerScale(int scale) throws StreamConstraintsException {
    if (Math.abs(scale) > MAX_SCALE) {
      throw new JsonLimitException(JsonLimitException.Kind.NUMBER_SCALE, MAX_SCALE);
    }
  }
}
