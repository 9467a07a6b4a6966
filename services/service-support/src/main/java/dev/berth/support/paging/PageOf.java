package dev.berth.support.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a list resource: {@code {items, page, size, total}}, pages counted from 0. */
public record PageOf<T>(List<T> items, int page, int size, long total) {

    public <R> PageOf<R> map(Function<T, R> mapper) {
        return new PageOf<>(items.stream().map(mapper).toList(), page, size, total);
    }
}
