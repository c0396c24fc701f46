"""The console's hosting: a private S3 bucket behind CloudFront (origin access control), the
browser security headers on every answer, and the API proxied under `/api/*` on the same origin.

Same origin is the point: the console calls `/api/...` on its own host, so the API needs no CORS
for it at all (no origin to configure, no preflight round trip per request), the strict
Content-Security-Policy can say `connect-src 'self'`, and the token never crosses origins.
Webhooks keep using the API Gateway URL directly. Pay-per-use: no idle cost beyond S3 storage.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.stacks.settings import StageSettings

CONSOLE_DIR = Path(__file__).resolve().parents[2] / "console"
# Must match what the local runtime's console server sends (local/), so that what the browser
# tests see is what a deployment serves.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
API_PATH = "/api/*"  # Chalice's API Gateway stage is named `api`, so paths line up unchanged


def console_config(brand_zone: str) -> dict[str, object]:
    """The console's config.json (keys as `local/console_server.py` writes them): the API under
    /api on this origin, the brand's zone, and each network's reply length rules."""
    from chalicelib.care.reply_limits import console_limits

    return {"api_base": "/api", "brand_zone": brand_zone, "reply_limits": console_limits()}


class ConsoleSite(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        rest_api_id: str,
        brand_zone: str = "UTC",
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.bucket = s3.Bucket(
            self,
            "Files",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY,
        )
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CONTENT_SECURITY_POLICY, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )
        api_origin = origins.HttpOrigin(
            f"{rest_api_id}.execute-api.{stack.region}.{stack.url_suffix}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"carecycle {settings.stage} console",
            default_root_object="index.html",
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                compress=True,
            ),
            additional_behaviors={
                API_PATH: cloudfront.BehaviorOptions(
                    origin=api_origin,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=(
                        cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER
                    ),
                    response_headers_policy=headers,
                )
            },
        )
        if (CONSOLE_DIR / "index.html").exists():
            s3deploy.BucketDeployment(
                self,
                "Upload",
                destination_bucket=self.bucket,
                sources=[
                    s3deploy.Source.asset(str(CONSOLE_DIR)),
                    s3deploy.Source.json_data("config.json", console_config(brand_zone)),
                ],
                distribution=self.distribution,
                distribution_paths=["/*"],
                prune=True,
                # dev's stack deletion removes the files, so the bucket is empty and goes too
                retain_on_delete=settings.retain_data,
            )

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}/"
