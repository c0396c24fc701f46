"""What keeps a pay-per-use stack from being flooded or running up a bill: API Gateway throttles
(for the stage and, tighter, for the public routes anyone on the internet can drive), JSON access
logs with retention, caps and reservations of Lambda concurrency, and a monthly AWS Budget that
mails the alarm topic.

All numbers come from `StageSettings`, so a deployer tunes them with CDK context, not code.
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk.aws_lambda import CfnFunction
from constructs import Construct

from infra.stacks.settings import StageSettings

# The routes that need no token: anyone can call them as fast as they like. Paths in API
# Gateway's method-setting form ("/" escaped as "~1").
PUBLIC_METHODS = (
    ("/~1l~1{code}", "GET"),
    ("/~1webhooks~1{platform}", "POST"),
    ("/~1webhooks~1{platform}", "GET"),
)

# One JSON line per request: enough to trace a flood (who, what, how fast) without bodies,
# query strings or headers, which may carry tokens or personal data.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "time": "$context.requestTime",
        "ip": "$context.identity.sourceIp",
        "method": "$context.httpMethod",
        "resource": "$context.resourcePath",
        "status": "$context.status",
        "latencyMs": "$context.responseLatency",
        "bytes": "$context.responseLength",
        "error": "$context.error.message",
    },
    separators=(",", ":"),
)


class Guards(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        rest_api: Any,
        functions: dict[str, CfnFunction],
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(
            self,
            "ApiAccessLogs",
            retention=settings.log_retention,
            removal_policy=RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY,
        )
        self._throttle(settings, rest_api)
        self._account_logging_role()
        self._concurrency(settings, functions)
        self._budget(settings, topic)

    def _throttle(self, settings: StageSettings, rest_api: Any) -> None:
        method_settings = [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "ThrottlingRateLimit": settings.api_rate_limit,
                "ThrottlingBurstLimit": settings.api_burst_limit,
                "MetricsEnabled": True,
            }
        ] + [
            {
                "ResourcePath": path,
                "HttpMethod": method,
                "ThrottlingRateLimit": settings.public_rate_limit,
                "ThrottlingBurstLimit": settings.public_burst_limit,
                "MetricsEnabled": True,
            }
            for path, method in PUBLIC_METHODS
        ]
        rest_api.add_property_override("MethodSettings", method_settings)
        rest_api.add_property_override(
            "AccessLogSetting",
            {"DestinationArn": self.access_logs.log_group_arn, "Format": ACCESS_LOG_FORMAT},
        )
        rest_api.add_property_override("TracingEnabled", False)

    def _account_logging_role(self) -> None:
        """API Gateway writes access logs through one role per account and region."""
        role = iam.Role(
            self,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
                )
            ],
        )
        account = apigateway.CfnAccount(
            self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn
        )
        account.apply_removal_policy(RemovalPolicy.RETAIN)

    @staticmethod
    def _concurrency(settings: StageSettings, functions: dict[str, CfnFunction]) -> None:
        for name, reserved in settings.reserved_concurrency.items():
            if name in functions:
                functions[name].add_property_override("ReservedConcurrentExecutions", reserved)

    def _budget(self, settings: StageSettings, topic: sns.ITopic) -> None:
        stack = Stack.of(self)
        # AWS Budgets publishes to the alarm topic; the topic must allow it.
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal("budgets.amazonaws.com")],
                resources=[topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )
        notify = [
            budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=topic.topic_arn)
        ]
        budgets.CfnBudget(
            self,
            "MonthlyBudget",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_name=f"carecycle-{settings.stage}-monthly",
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(
                    amount=settings.monthly_budget_usd, unit="USD"
                ),
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        notification_type=kind,
                        comparison_operator="GREATER_THAN",
                        threshold=threshold,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=notify,
                )
                for kind, threshold in (("ACTUAL", 80), ("FORECASTED", 100))
            ],
        )
