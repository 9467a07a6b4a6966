/**
 * The cluster state one placement loop schedules against: nodes with their accounted pods, and the
 * indexes topology spread needs, kept current by {@code assume}/{@code forget} instead of rescans.
 */
package dev.berth.platform.scheduler.snapshot;
