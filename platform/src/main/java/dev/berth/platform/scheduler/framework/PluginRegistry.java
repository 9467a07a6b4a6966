package dev.berth.platform.scheduler.framework;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Plugin factories by name; profiles name plugins and the scheduler instantiates them from here.
 * Rejects a second factory under a taken name. Thread-safe.
 */
public final class PluginRegistry {

    private final Map<String, Supplier<? extends Plugin>> factories = new ConcurrentHashMap<>();

    /**
     * Registers {@code factory} under {@code name}.
     *
     * @throws IllegalArgumentException if {@code name} is already registered
     */
    public PluginRegistry register(String name, Supplier<? extends Plugin> factory) {
        Objects.requireNonNull(factory, "factory");
        if (factories.putIfAbsent(Objects.requireNonNull(name, "name"), factory) != null) {
            throw new IllegalArgumentException("a plugin named " + name + " is already registered");
        }
        return this;
    }

    /**
     * A new instance of the plugin registered as {@code name}.
     *
     * @throws IllegalArgumentException if nothing is registered under {@code name}, or the factory's plugin calls itself otherwise
     */
    public Plugin create(String name) {
        Supplier<? extends Plugin> factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("no plugin named " + name + " is registered; known: " + names());
        }
        Plugin plugin = factory.get();
        if (!name.equals(plugin.name())) {
            throw new IllegalArgumentException("plugin registered as " + name + " calls itself " + plugin.name());
        }
        return plugin;
    }

    public Set<String> names() {
        return new TreeSet<>(factories.keySet());
    }
}
