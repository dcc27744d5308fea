CREATE INDEX "sms_messages_to_phone_idx" ON "sms_messages" USING btree ("to_phone","updated_at");
