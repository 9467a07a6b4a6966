/**
 * The scheduling framework, shaped like kube-scheduler's: small role interfaces for plugins
 * (pre-filter, filter, pre-score, score with optional normalisation), {@link
 * dev.berth.platform.scheduler.framework.Status} values instead of exceptions, per-cycle scratch state in
 * {@link dev.berth.platform.scheduler.framework.CycleState}, and one
 * {@link dev.berth.platform.scheduler.framework.PluginRegistry}. Plugin instances hold configuration only
 * and must be thread-safe.
 */
package dev.berth.platform.scheduler.framework;
