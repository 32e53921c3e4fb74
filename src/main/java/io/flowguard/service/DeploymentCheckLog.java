package io.flowguard.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.flowguard.engine.DeploymentCheck;
import io.flowguard.engine.DeploymentReport;
import io.flowguard.engine.OnMissing;
import io.flowguard.logging.LogFields;

/**
 * The service's lines about the deployment check, each a JSON line with its named values
 * ({@link LogFields}), so a collector finds them by field: one {@code INFO} line when every
 * unfinished execution can run ({@code unfinished}: flow, version, count); when the check refuses,
 * one {@code SEVERE} line per missing flow version ({@code flow}, {@code version}, {@code count})
 * and per missing step ({@code flow}, {@code version}, {@code step}, {@code count}); when the
 * operator chose {@code fail-executions}, one {@code WARNING} line per version and step with the
 * executions failed for it ({@code error_type} {@code unknown_flow} or {@code unknown_step}) and a
 * summary ({@code failed}, {@code batches}, {@code took_ms}).
 */
final class DeploymentCheckLog implements DeploymentCheck.Log {

    private static final Logger LOG = Logger.getLogger(DeploymentCheckLog.class.getName());

    @Override
    public void checked(DeploymentCheck.Outcome outcome) {
        DeploymentReport found = outcome.found();
        if (found.runnable()) {
            LogFields.log(LOG, Level.INFO, "deployment check passed: " + found.counts(), "unfinished", counts(found));
            return;
        }
        if (outcome.refused()) {
            String how = "; deploy a build that registers it, or set " + OnMissing.KEY + "="
                    + OnMissing.FAIL_EXECUTIONS.value() + " to fail those executions";
            for (DeploymentReport.MissingVersion missing : found.missingVersions()) {
                LogFields.log(LOG, Level.SEVERE, "refusing to start: " + missing + how, fields(missing.flow(),
                        missing.version(), null, missing.count(), OnMissing.REFUSE));
            }
            for (DeploymentReport.MissingStep missing : found.missingSteps()) {
                LogFields.log(LOG, Level.SEVERE, "refusing to start: " + missing + how, fields(missing.flow(),
                        missing.version(), missing.step(), missing.count(), OnMissing.REFUSE));
            }
            return;
        }
        DeploymentReport failed = outcome.failed();
        for (DeploymentReport.MissingVersion missing : failed.missingVersions()) {
            Map<String, Object> fields = fields(missing.flow(), missing.version(), null, missing.count(),
                    OnMissing.FAIL_EXECUTIONS);
            fields.put("error_type", "unknown_flow");
            LogFields.log(LOG, Level.WARNING, "failed " + missing.count() + " unfinished executions as unknown_flow: "
                    + missing, fields);
        }
        for (DeploymentReport.MissingStep missing : failed.missingSteps()) {
            Map<String, Object> fields = fields(missing.flow(), missing.version(), missing.step(), missing.count(),
                    OnMissing.FAIL_EXECUTIONS);
            fields.put("error_type", "unknown_step");
            LogFields.log(LOG, Level.WARNING, "failed " + missing.count() + " unfinished executions as unknown_step: "
                    + missing, fields);
        }
        LogFields.log(LOG, Level.WARNING, "deployment check: failed " + outcome.failedCount() + " unfinished executions "
                + "this build cannot run (" + OnMissing.KEY + "=" + OnMissing.FAIL_EXECUTIONS.value() + ") in "
                + outcome.batches() + " transactions, " + outcome.took().toMillis() + " ms",
                "failed", outcome.failedCount(), "batches", outcome.batches(), "took_ms", outcome.took().toMillis(),
                "on_missing", OnMissing.FAIL_EXECUTIONS.value());
    }

    private static Map<String, Object> fields(String flow, int version, String step, long count, OnMissing choice) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("flow", flow);
        fields.put("version", version);
        if (step != null) {
            fields.put("step", step);
        }
        fields.put("count", count);
        fields.put("on_missing", choice.value());
        return fields;
    }

    private static List<Map<String, Object>> counts(DeploymentReport report) {
        List<Map<String, Object>> counts = new ArrayList<>();
        for (DeploymentReport.Unfinished u : report.unfinished()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("flow", u.flow());
            one.put("version", u.version());
            one.put("count", u.count());
            counts.add(one);
        }
        return counts;
    }
}
