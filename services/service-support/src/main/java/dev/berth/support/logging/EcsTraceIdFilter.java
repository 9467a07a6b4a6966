package dev.berth.support.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Puts the OpenTelemetry trace id of the current request at the top level of every JSON log line as ECS
 * {@code trace.id}.
 *
 * <p>Quarkus's ECS JSON format writes the MDC (where OpenTelemetry keeps {@code traceId}) as a nested
 * {@code mdc} object. The format's one free top-level string is the NDC, so this filter copies the trace id
 * into the record's NDC and {@code quarkus.log.console.json.key-overrides=ndc=trace.id} names it as ECS
 * does. Enable with {@code quarkus.log.console.filter=ecs-trace-id}. Never drops a record.
 */
@LoggingFilter(name = "ecs-trace-id")
public final class EcsTraceIdFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String traceId = ext.getMdc("traceId");
            if (traceId != null && !traceId.isEmpty() && (ext.getNdc() == null || ext.getNdc().isEmpty())) {
                ext.setNdc(traceId);
            }
        }
        return true;
    }
}
