/**
 * The in-tree plugins, one class each with its decision in one pure static function (tested by a table),
 * named and behaving as their kube-scheduler namesakes, down to the reason texts users read.
 * {@link dev.berth.platform.scheduler.plugins.InTreePlugins#registry()} registers them all.
 */
package dev.berth.platform.scheduler.plugins;
