
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "appointments": {
                  Row: {
                    "attendee_email": string | null,"attendee_name": string,"blocked_from": string,"blocked_until": string,"buffer_after_minutes": number,"buffer_before_minutes": number,"calendar_id": string | null,"created_at": string,"duration_minutes": number,"ends_at": string,"id": string,"idempotency_key": string | null,"is_active": boolean | null,"lead_id": string,"org_id": string,"practitioner_id": string | null,"rescheduled_from": string | null,"scheduled_at": string,"service_type": string,"status": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attendee_email"?: string | null,"attendee_name": string,"blocked_from": string,"blocked_until": string,"buffer_after_minutes"?: number,"buffer_before_minutes"?: number,"calendar_id"?: never,"created_at"?: string,"duration_minutes": number,"ends_at": string,"id"?: string,"idempotency_key"?: string | null,"is_active"?: never,"lead_id": string,"org_id": string,"practitioner_id"?: string | null,"rescheduled_from"?: string | null,"scheduled_at": string,"service_type": string,"status"?: string,"updated_at"?: string
                  }
                  Update: {
                    "attendee_email"?: string | null,"attendee_name"?: string,"blocked_from"?: string,"blocked_until"?: string,"buffer_after_minutes"?: number,"buffer_before_minutes"?: number,"calendar_id"?: never,"created_at"?: string,"duration_minutes"?: number,"ends_at"?: string,"id"?: string,"idempotency_key"?: string | null,"is_active"?: never,"lead_id"?: string,"org_id"?: string,"practitioner_id"?: string | null,"rescheduled_from"?: string | null,"scheduled_at"?: string,"service_type"?: string,"status"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "appointments_lead_fkey"
      columns: ["org_id","lead_id"]
isOneToOne: false
      referencedRelation: "leads"
      referencedColumns: ["org_id","id"]
    },{
      foreignKeyName: "appointments_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "appointments_practitioner_fkey"
      columns: ["org_id","practitioner_id"]
isOneToOne: false
      referencedRelation: "practitioners"
      referencedColumns: ["org_id","id"]
    },{
      foreignKeyName: "appointments_rescheduled_from_fkey"
      columns: ["org_id","rescheduled_from"]
isOneToOne: false
      referencedRelation: "appointments"
      referencedColumns: ["org_id","id"]
    }
                  ]
                },"booking_events": {
                  Row: {
                    "appointment_id": string,"attempts": number,"created_at": string,"id": number,"kind": string,"org_id": string,"payload": NonNullable<Json>,"processed_at": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "appointment_id": string,"attempts"?: number,"created_at"?: string,"id"?: never,"kind": string,"org_id": string,"payload"?: NonNullable<Json>,"processed_at"?: string | null
                  }
                  Update: {
                    "appointment_id"?: string,"attempts"?: number,"created_at"?: string,"id"?: never,"kind"?: string,"org_id"?: string,"payload"?: NonNullable<Json>,"processed_at"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "booking_events_appointment_fkey"
      columns: ["org_id","appointment_id"]
isOneToOne: false
      referencedRelation: "appointments"
      referencedColumns: ["org_id","id"]
    },{
      foreignKeyName: "booking_events_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"closures": {
                  Row: {
                    "created_at": string,"during": unknown,"id": string,"org_id": string,"practitioner_id": string | null,"reason": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"during": unknown,"id"?: string,"org_id": string,"practitioner_id"?: string | null,"reason"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"during"?: unknown,"id"?: string,"org_id"?: string,"practitioner_id"?: string | null,"reason"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "closures_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "closures_practitioner_fkey"
      columns: ["org_id","practitioner_id"]
isOneToOne: false
      referencedRelation: "practitioners"
      referencedColumns: ["org_id","id"]
    }
                  ]
                },"leads": {
                  Row: {
                    "created_at": string,"email": string | null,"id": string,"name": string,"org_id": string,"phone": string,"status": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"email"?: string | null,"id"?: string,"name": string,"org_id": string,"phone": string,"status"?: string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"email"?: string | null,"id"?: string,"name"?: string,"org_id"?: string,"phone"?: string,"status"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "leads_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_business_hours": {
                  Row: {
                    "closes_at": string,"opens_at": string,"org_id": string,"weekday": number
                  }
                  ComputedFields: never
                  Insert: {
                    "closes_at": string,"opens_at": string,"org_id": string,"weekday": number
                  }
                  Update: {
                    "closes_at"?: string,"opens_at"?: string,"org_id"?: string,"weekday"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_business_hours_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"organization_members": {
                  Row: {
                    "created_at": string,"org_id": string,"role": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"org_id": string,"role"?: string,"user_id": string
                  }
                  Update: {
                    "created_at"?: string,"org_id"?: string,"role"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "organization_members_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"organizations": {
                  Row: {
                    "booking_horizon_days": number,"created_at": string,"default_country": string,"default_duration_minutes": number,"id": string,"min_notice_minutes": number,"name": string,"slot_step_minutes": number,"timezone": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "booking_horizon_days"?: number,"created_at"?: string,"default_country"?: string,"default_duration_minutes"?: number,"id"?: string,"min_notice_minutes"?: number,"name": string,"slot_step_minutes"?: number,"timezone": string,"updated_at"?: string
                  }
                  Update: {
                    "booking_horizon_days"?: number,"created_at"?: string,"default_country"?: string,"default_duration_minutes"?: number,"id"?: string,"min_notice_minutes"?: number,"name"?: string,"slot_step_minutes"?: number,"timezone"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"practitioner_hours": {
                  Row: {
                    "closes_at": string,"opens_at": string,"org_id": string,"practitioner_id": string,"weekday": number
                  }
                  ComputedFields: never
                  Insert: {
                    "closes_at": string,"opens_at": string,"org_id": string,"practitioner_id": string,"weekday": number
                  }
                  Update: {
                    "closes_at"?: string,"opens_at"?: string,"org_id"?: string,"practitioner_id"?: string,"weekday"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "practitioner_hours_practitioner_fkey"
      columns: ["org_id","practitioner_id"]
isOneToOne: false
      referencedRelation: "practitioners"
      referencedColumns: ["org_id","id"]
    }
                  ]
                },"practitioners": {
                  Row: {
                    "active": boolean,"created_at": string,"id": string,"kind": string,"name": string,"org_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"created_at"?: string,"id"?: string,"kind"?: string,"name": string,"org_id": string,"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"created_at"?: string,"id"?: string,"kind"?: string,"name"?: string,"org_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "practitioners_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"service_practitioners": {
                  Row: {
                    "org_id": string,"practitioner_id": string,"service_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "org_id": string,"practitioner_id": string,"service_id": string
                  }
                  Update: {
                    "org_id"?: string,"practitioner_id"?: string,"service_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "service_practitioners_practitioner_fkey"
      columns: ["org_id","practitioner_id"]
isOneToOne: false
      referencedRelation: "practitioners"
      referencedColumns: ["org_id","id"]
    },{
      foreignKeyName: "service_practitioners_service_fkey"
      columns: ["org_id","service_id"]
isOneToOne: false
      referencedRelation: "services"
      referencedColumns: ["org_id","id"]
    }
                  ]
                },"services": {
                  Row: {
                    "active": boolean,"aliases": (string)[],"buffer_after_minutes": number,"buffer_before_minutes": number,"created_at": string,"duration_minutes": number,"id": string,"name": string,"org_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"aliases"?: (string)[],"buffer_after_minutes"?: number,"buffer_before_minutes"?: number,"created_at"?: string,"duration_minutes": number,"id"?: string,"name": string,"org_id": string,"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"aliases"?: (string)[],"buffer_after_minutes"?: number,"buffer_before_minutes"?: number,"created_at"?: string,"duration_minutes"?: number,"id"?: string,"name"?: string,"org_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "services_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                },"vapi_routes": {
                  Row: {
                    "created_at": string,"external_id": string,"id": string,"kind": string,"org_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"external_id": string,"id"?: string,"kind": string,"org_id": string
                  }
                  Update: {
                    "created_at"?: string,"external_id"?: string,"id"?: string,"kind"?: string,"org_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "vapi_routes_org_id_fkey"
      columns: ["org_id"]
isOneToOne: false
      referencedRelation: "organizations"
      referencedColumns: ["id"]
    }
                  ]
                }
          }
          Views: {
            [_ in never]: never
          }
          Functions: {
            "book_appointment_atomic":
{ Args: { "p_duration_minutes": number,"p_email": string,"p_idempotency_key"?: string,"p_name": string,"p_org_id": string,"p_phone": string,"p_practitioner_id"?: string,"p_scheduled_at": string,"p_service_type": string }; Returns: Json
                           },
"cancel_appointment":
{ Args: { "p_appointment_id"?: string,"p_day"?: string,"p_name"?: string,"p_org_id": string,"p_phone": string }; Returns: Json
                           },
"check_availability":
{ Args: { "p_date": string,"p_duration_minutes"?: number,"p_org_id": string,"p_practitioner_id"?: string,"p_service_type"?: string }; Returns: Json
                           },
"find_appointments":
{ Args: { "p_name"?: string,"p_org_id": string,"p_phone": string }; Returns: Json
                           },
"reschedule_appointment":
{ Args: { "p_appointment_id"?: string,"p_day"?: string,"p_idempotency_key"?: string,"p_name"?: string,"p_new_start": string,"p_org_id": string,"p_phone": string }; Returns: Json
                           },
"resolve_booking_org":
{ Args: { "p_assistant_id"?: string,"p_org_id"?: string,"p_phone_number_id"?: string }; Returns: Json
                           }
          }
          Enums: {
            [_ in never]: never
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            
          }
        }
} as const
