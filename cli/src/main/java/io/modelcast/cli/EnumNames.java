package io.modelcast.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum constants as written on command lines: lower case with hyphens ({@code EXACTLY_ONCE} is
 * {@code exactly-once}).
 */
public final class EnumNames {

    private EnumNames() {}

    /** The command-line name of a constant. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A picocli converter that accepts command-line names (and, leniently, constant names). */
    public static <E extends Enum<E>> ITypeConverter<E> converter(Class<E> type) {
        return value -> {
            String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(wanted)) {
                    return constant;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of "
                    + Arrays.stream(type.getEnumConstants()).map(EnumNames::of).collect(Collectors.joining(", ")));
        };
    }
}
